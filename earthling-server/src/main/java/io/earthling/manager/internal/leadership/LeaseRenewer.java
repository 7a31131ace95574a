package io.earthling.manager.internal.leadership;

import io.earthling.store.LeaderLease;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the leader lease; when it cannot, the manager stops leading before a standby can take over. */
final class LeaseRenewer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);

    private final LeaderLease lease;
    private final String holder;
    private final long epoch;
    private final Duration ttl;
    private final Runnable onLost;
    private final java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean running = true;
    /** {@link System#nanoTime} before the last successful renewal (or the acquisition) was asked for. */
    private volatile long renewedNanos;

    LeaseRenewer(LeaderLease lease, String holder, long epoch, Duration ttl, long acquiredNanos, Runnable onLost) {
        this.renewedNanos = acquiredNanos;
        this.lease = lease;
        this.holder = holder;
        this.epoch = epoch;
        this.ttl = ttl;
        this.onLost = onLost;
    }

    @Override
    public void run() {
        long period = Math.max(100, ttl.toMillis() / 3);
        long lastAsked = renewedNanos;
        while (running) {
            // A period after the last try began: after a slow acquisition (a database just back) that is at once.
            long dueInMs = period - (System.nanoTime() - lastAsked) / 1_000_000;
            try {
                if (dueInMs > 0) {
                    Thread.sleep(dueInMs);
                }
            } catch (InterruptedException e) {
                return;
            }
            long asked = System.nanoTime();
            lastAsked = asked;
            try {
                if (!lease.renew(holder, epoch, ttl)) {
                    log.error("Leader lease lost (epoch {} superseded); this manager stops leading now", epoch);
                    lost();
                    return;
                }
                renewedNanos = asked;
            } catch (RuntimeException e) {
                long since = (System.nanoTime() - renewedNanos) / 1_000_000;
                if (mustStepDown(since, period, ttl.toMillis())) {
                    log.error("Could not renew the leader lease for {} ms ({}); stopping leading before it expires",
                            since, e.getMessage());
                    lost();
                    return;
                }
                log.warn("Lease renewal failed ({}); retrying in {} ms", e.getMessage(), period);
            }
        }
    }

    /**
     * Whether a leader whose last renewal was asked {@code sinceMs} ago must stop now: the next try, a period
     * away, could come after the lease expired and a standby took it.
     */
    static boolean mustStepDown(long sinceMs, long periodMs, long ttlMs) {
        return sinceMs + periodMs >= ttlMs;
    }

    /** How often {@link #watchDeadline} looks. */
    static final long WATCH_MS = 100;

    /**
     * How long before a whole ttl since the last renewal was asked for {@link #watchDeadline} steps down: the
     * database's expiry counts from the renewal's commit, no earlier than the ask, but the watch looks only every
     * {@link #WATCH_MS} and a loaded machine runs it late, so it stops this much early rather than answering
     * leader-only calls for a moment after the database let the lease go (one such second was seen in 26 seeds of
     * the fault run, under a database refusal).
     */
    static long watchMarginMs(long ttlMs) {
        return Math.min(ttlMs / 3, Math.max(2 * WATCH_MS, ttlMs / 10));
    }

    /**
     * Runs beside {@link #run} on a thread of its own: steps down just before a whole ttl has passed since the last
     * renewal was asked for ({@link #watchMarginMs}), when the database may let the lease expire, even while a renewal hangs
     * (waiting for a connection while the database refuses them, or on a dead socket), which {@link #run} notices
     * only when the call returns. Without it such a manager went on answering leader-only calls for seconds after
     * its lease had expired. Returns when renewal stops.
     */
    void watchDeadline() {
        while (running) {
            try {
                Thread.sleep(WATCH_MS);
            } catch (InterruptedException e) {
                return;
            }
            long since = (System.nanoTime() - renewedNanos) / 1_000_000;
            if (running && since >= ttl.toMillis() - watchMarginMs(ttl.toMillis())) {
                log.error("The leader lease was last renewed {} ms ago (ttl {} ms) and may expire any moment; stopping"
                        + " leading now", since, ttl.toMillis());
                lost();
                return;
            }
        }
    }

    private void lost() {
        running = false; // fresh() is false from here on: the dispatcher delivers nothing more
        if (lost.compareAndSet(false, true)) {
            onLost.run();
        }
    }

    /**
     * Whether the lease is surely still ours: renewed less than two thirds of its time to live ago, by this
     * machine's clock. The DB lets another manager take it only once a whole ttl has passed since that renewal.
     */
    boolean fresh() {
        return running && System.nanoTime() - renewedNanos < ttl.toNanos() * 2 / 3;
    }

    void stop() {
        running = false;
    }
}

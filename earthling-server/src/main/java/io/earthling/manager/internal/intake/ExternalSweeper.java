package io.earthling.manager.internal.intake;

import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;

import io.earthling.core.MonotonicClock;
import io.earthling.core.ReadyJob;
import io.earthling.manager.internal.dispatch.ReadyJobs;
import io.earthling.manager.internal.leadership.LeaderLoop;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.store.ExternalInserts;
import io.earthling.store.JobStore;
import io.earthling.store.StateChange;
import io.earthling.store.StoredJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up rows other systems INSERTed into {@code jobs}: on a NOTIFY (PostgreSQL) or once per interval, one
 * query by the manager alone, never one per worker. It waits on the database's signal rather than on a nudge (on
 * H2 the signal is a {@link NudgedInserts}), and stopping it closes that signal, which is the sweeper's alone.
 */
public final class ExternalSweeper extends LeaderLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ExternalSweeper.class);
    private static final int BATCH = 1000;

    private final JobStore store;
    private final ExternalInserts signal;
    private final Leadership leadership;
    private final Duration interval;
    private final Clock clock;

    public ExternalSweeper(JobStore store, ExternalInserts signal, Leadership leadership, Duration interval) {
        this(store, signal, leadership, interval, Clock.systemUTC(), MonotonicClock.SYSTEM);
    }

    /**
     * @param interval the longest wait between sweeps, and the wait after a failed one
     * @param clock    the time a row that is not valid JSON ends DEAD at
     * @param ticks    measures the waits
     */
    ExternalSweeper(JobStore store, ExternalInserts signal, Leadership leadership, Duration interval, Clock clock,
                    MonotonicClock ticks) {
        super("earthling-sweeper", ticks, interval);
        this.store = store;
        this.signal = signal;
        this.leadership = leadership;
        this.interval = interval;
        this.clock = clock;
    }

    /** Runs the loop on the caller's thread, for an owner that spawns it; {@link #start()} gives it its own. */
    @Override
    public void run() {
        runOnCallingThread();
    }

    @Override
    protected Duration iterate() {
        sweep();
        return interval;
    }

    /** Waits for the database's signal (a NOTIFY, or a nudge on H2); true when it came. */
    @Override
    protected boolean await(long nanos) throws InterruptedException {
        return signal.await(Duration.ofMillis(Math.max(1, (nanos + 999_999) / 1_000_000)));
    }

    @Override
    protected void wakeForStop() {
        signal.close();
    }

    private void sweep() {
        List<StoredJob> rows;
        do {
            rows = store.claimExternal(BATCH, leadership.epoch());
            List<ReadyJob> ready = new ArrayList<>();
            List<StateChange> dead = new ArrayList<>();
            for (StoredJob j : rows) {
                if (j.state() != PENDING) {
                    continue;
                }
                if (Intake.isJson(j.payload())) {
                    ready.add(ReadyJobs.of(j));
                } else {
                    String why = "payload is not valid JSON";
                    dead.add(StateChange.of(j.id(), EnumSet.of(PENDING), DEAD).error(why)
                            .finishedAt(clock.millis()).event("DEAD", why).build());
                }
            }
            if (!dead.isEmpty()) {
                leadership.writer().apply(dead);
            }
            if (!ready.isEmpty()) {
                log.debug("Picked up {} jobs inserted by SQL", ready.size());
                leadership.dispatcher().offer(ready);
            }
        } while (rows.size() == BATCH && running());
    }
}

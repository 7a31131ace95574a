package io.earthling.manager.internal;

import io.earthling.store.FencedException;
import io.earthling.store.Inserted;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.StateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: every hot write of the manager goes through this one thread. While one transaction commits,
 * the next requests pile up and go together into the next one, so DB work is O(jobs / batch).
 */
public final class WriteBatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteBatcher.class);
    private static final int MAX_ITEMS = 5_000;
    /** Tries of one batch of state changes, about 5 s in all, before the manager gives up leading. */
    private static final int CHANGE_ATTEMPTS = 8;

    private final JobStore store;
    private final long epoch;
    private final Consumer<RuntimeException> onLost;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Request> held = new ArrayList<>();
    private final Thread thread;
    private final BatchStats stats;
    private volatile boolean running = true;

    public WriteBatcher(JobStore store, long epoch, BatchStats stats, Consumer<RuntimeException> onLost) {
        this.store = store;
        this.epoch = epoch;
        this.stats = stats;
        this.onLost = onLost;
        this.thread = new Thread(this::loop, "earthling-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public CompletableFuture<List<Inserted>> insert(List<NewJob> jobs) {
        Request r = new Request(jobs, null);
        queue.add(r);
        return r.inserted;
    }

    public CompletableFuture<boolean[]> apply(List<StateChange> changes) {
        Request r = new Request(null, changes);
        queue.add(r);
        return r.applied;
    }

    /**
     * Like {@link #apply}, but held until {@link #release}: what one caller writes in one turn (a node's outcomes
     * and the assignments that refill its workers) then shares one transaction instead of taking two commits in a
     * row. Only for one thread, which must release every turn.
     */
    public CompletableFuture<boolean[]> applyHeld(List<StateChange> changes) {
        Request r = new Request(null, changes);
        held.add(r);
        return r.applied;
    }

    /** Hands everything held to the writer at once: it lands in one batch. */
    public void release() {
        if (held.isEmpty()) {
            return;
        }
        List<StateChange> all = new ArrayList<>();
        held.forEach(r -> all.addAll(r.changes));
        List<Request> parts = List.copyOf(held);
        held.clear();
        apply(all).whenComplete((applied, err) -> {
            int at = 0;
            for (Request r : parts) {
                if (err != null) {
                    r.applied.completeExceptionally(err);
                } else {
                    r.applied.complete(java.util.Arrays.copyOfRange(applied, at, at + r.changes.size()));
                }
                at += r.changes.size();
            }
        });
    }

    private void loop() {
        List<Request> batch = new ArrayList<>();
        while (running) {
            try {
                Request first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int items = first.size();
                while (items < MAX_ITEMS) {
                    Request next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    items += next.size();
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Request> batch) {
        List<Request> inserting = new ArrayList<>();
        List<Request> changing = new ArrayList<>();
        for (Request r : batch) {
            (r.jobs != null ? inserting : changing).add(r);
        }
        if (!inserting.isEmpty()) {
            writeInserts(inserting);
        }
        if (!changing.isEmpty()) {
            writeChanges(changing);
        }
    }

    /** A failed insert fails its callers only: they are answered with the error and may submit again. */
    private void writeInserts(List<Request> batch) {
        List<NewJob> inserts = new ArrayList<>();
        batch.forEach(r -> inserts.addAll(r.jobs));
        try {
            List<Inserted> ids = timed(() -> store.add(inserts, epoch), inserts.size());
            int i = 0;
            for (Request r : batch) {
                r.inserted.complete(ids.subList(i, i + r.jobs.size()));
                i += r.jobs.size();
            }
        } catch (FencedException e) {
            batch.forEach(r -> r.fail(e));
            onLost.accept(e);
        } catch (RuntimeException e) {
            log.warn("A batch of {} new jobs was not stored; its callers get the error and may submit again: {}",
                    inserts.size(), e.toString());
            batch.forEach(r -> r.fail(e));
        }
    }

    /**
     * State changes are written in the order they came, and a failed batch is tried again before any later one: a
     * job delivered on the strength of its ASSIGNED must not have its outcome tried against a row that still says
     * PENDING. Only fencing, or a batch that keeps failing, gives up; the manager then stops leading.
     */
    private void writeChanges(List<Request> batch) {
        List<StateChange> changes = new ArrayList<>();
        batch.forEach(r -> changes.addAll(r.changes));
        for (int attempt = 1; ; attempt++) {
            try {
                boolean[] applied = timed(() -> store.apply(changes, epoch), changes.size());
                int c = 0;
                for (Request r : batch) {
                    r.applied.complete(java.util.Arrays.copyOfRange(applied, c, c + r.changes.size()));
                    c += r.changes.size();
                }
                return;
            } catch (FencedException e) {
                batch.forEach(r -> r.fail(e));
                onLost.accept(e);
                return;
            } catch (RuntimeException e) {
                if (attempt >= CHANGE_ATTEMPTS || !running) {
                    log.error("A batch of {} state changes failed {} times ({}); this manager stops leading so that a"
                            + " leader starts again from the DB", changes.size(), attempt, e.toString());
                    batch.forEach(r -> r.fail(e));
                    onLost.accept(e);
                    return;
                }
                long pause = Math.min(2_000, 50L << (attempt - 1));
                log.warn("A batch of {} state changes failed ({}); trying it again in {} ms, later writes wait",
                        changes.size(), e.toString(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    batch.forEach(r -> r.fail(e));
                    return;
                }
            }
        }
    }

    private <T> T timed(java.util.function.Supplier<T> write, int size) {
        long t0 = System.nanoTime();
        T result = write.get();
        stats.record(size, System.nanoTime() - t0);
        return result;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private static final class Request {
        final List<NewJob> jobs;
        final List<StateChange> changes;
        final CompletableFuture<List<Inserted>> inserted = new CompletableFuture<>();
        final CompletableFuture<boolean[]> applied = new CompletableFuture<>();

        Request(List<NewJob> jobs, List<StateChange> changes) {
            this.jobs = jobs;
            this.changes = changes;
        }

        int size() {
            return jobs != null ? jobs.size() : changes.size();
        }

        void fail(Throwable t) {
            inserted.completeExceptionally(t);
            applied.completeExceptionally(t);
        }
    }
}

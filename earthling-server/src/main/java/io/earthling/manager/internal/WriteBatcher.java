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

    private final JobStore store;
    private final long epoch;
    private final Consumer<FencedException> onFenced;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Request> held = new ArrayList<>();
    private final Thread thread;
    private final BatchStats stats;
    private volatile boolean running = true;

    public WriteBatcher(JobStore store, long epoch, BatchStats stats, Consumer<FencedException> onFenced) {
        this.store = store;
        this.epoch = epoch;
        this.stats = stats;
        this.onFenced = onFenced;
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
        List<NewJob> inserts = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>();
        for (Request r : batch) {
            if (r.jobs != null) {
                inserts.addAll(r.jobs);
            } else {
                changes.addAll(r.changes);
            }
        }
        try {
            List<Inserted> ids = inserts.isEmpty() ? List.of() : timed(() -> store.add(inserts, epoch), inserts.size());
            boolean[] applied = changes.isEmpty() ? new boolean[0] : timed(() -> store.apply(changes, epoch), changes.size());
            int i = 0;
            int c = 0;
            for (Request r : batch) {
                if (r.jobs != null) {
                    r.inserted.complete(ids.subList(i, i + r.jobs.size()));
                    i += r.jobs.size();
                } else {
                    boolean[] mine = new boolean[r.changes.size()];
                    System.arraycopy(applied, c, mine, 0, mine.length);
                    c += mine.length;
                    r.applied.complete(mine);
                }
            }
        } catch (FencedException e) {
            batch.forEach(r -> r.fail(e));
            onFenced.accept(e);
        } catch (RuntimeException e) {
            log.warn("A batch of {} writes failed; its callers get the error and may retry: {}", batch.size(), e.toString());
            batch.forEach(r -> r.fail(e));
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

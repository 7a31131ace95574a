package io.earthling.manager.internal.write;

import io.earthling.store.FencedException;
import io.earthling.store.Inserted;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.StateChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: every hot write of the manager goes through this one thread. While one transaction commits,
 * the next requests pile up and go together into the next one, so DB work is O(jobs / batch).
 *
 * <p>Changes nobody waits for ({@link #deferHeld}: a job's ASSIGNED and RUNNING marks) wait here up to a linger,
 * so that a quick job's outcome finds them and the store writes the job's whole run as one row version. A change
 * of a job always goes with, and after, every deferred change of that job: each job's changes stay in order.
 */
public final class WriteBatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteBatcher.class);
    private static final int MAX_ITEMS = 5_000;
    /** New jobs that may wait for the writer before intake is refused (limits.maxQueuedInserts). */
    public static final int DEFAULT_MAX_QUEUED_INSERTS = 50_000;
    /** Tries of one batch of state changes, about 5 s in all, before the manager gives up leading. */
    private static final int CHANGE_ATTEMPTS = 8;
    /** How long a deferred change may wait for a later change of its job. */
    public static final Duration LINGER = Duration.ofMillis(50);

    private final JobStore store;
    private final long epoch;
    private final Consumer<RuntimeException> onLost;
    private final long lingerNanos;
    private final LinkedBlockingQueue<List<WriteRequest>> queue = new LinkedBlockingQueue<>();
    private final List<WriteRequest> held = new ArrayList<>();
    private final Thread thread;
    private final BatchStats stats;
    private final DeferredChanges deferred = new DeferredChanges();
    private volatile boolean running = true;
    private volatile boolean closing;
    private final int maxQueuedInserts;
    /** New jobs handed over and not yet stored (or failed): intake's backlog, bounded by {@link #maxQueuedInserts}. */
    private final AtomicInteger queuedInserts = new AtomicInteger();

    public WriteBatcher(JobStore store, long epoch, BatchStats stats, Consumer<RuntimeException> onLost) {
        this(store, epoch, stats, onLost, LINGER, DEFAULT_MAX_QUEUED_INSERTS);
    }

    public WriteBatcher(JobStore store, long epoch, BatchStats stats, Consumer<RuntimeException> onLost,
                        Duration linger) {
        this(store, epoch, stats, onLost, linger, DEFAULT_MAX_QUEUED_INSERTS);
    }

    /** {@code maxQueuedInserts}: new jobs handed over and not yet stored, past which intake is refused for now. */
    public WriteBatcher(JobStore store, long epoch, BatchStats stats, Consumer<RuntimeException> onLost,
                        Duration linger, int maxQueuedInserts) {
        this.maxQueuedInserts = maxQueuedInserts;
        this.store = store;
        this.epoch = epoch;
        this.stats = stats;
        this.onLost = onLost;
        this.lingerNanos = linger.toNanos();
        this.thread = new Thread(this::loop, "earthling-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stores new jobs in the next batch. Refused at once with {@link WriterFullException} while more than
     * {@code maxQueuedInserts} new jobs wait to be stored (one batch is always taken when none wait): intake pushes
     * back instead of growing the heap (docs/architecture.md, "Backpressure"). The state changes of jobs in flight are
     * never refused: they are bounded by the workers' slots.
     */
    public CompletableFuture<List<Inserted>> insert(List<NewJob> jobs) {
        int n = jobs.size();
        int before = queuedInserts.getAndAdd(n);
        if (before > 0 && before + n > maxQueuedInserts) {
            queuedInserts.addAndGet(-n);
            return CompletableFuture.failedFuture(new WriterFullException(before, maxQueuedInserts));
        }
        WriteRequest r = new WriteRequest(jobs, null, false);
        r.inserted.whenComplete((ok, err) -> queuedInserts.addAndGet(-n));
        queue.add(List.of(r));
        return r.inserted;
    }


    public CompletableFuture<boolean[]> apply(List<StateChange> changes) {
        WriteRequest r = new WriteRequest(null, changes, false);
        queue.add(List.of(r));
        return r.applied;
    }

    /**
     * Deletes finished jobs with their events and logs (see {@link JobStore#deleteFinished}), after the changes
     * handed over before it; completes with the ids deleted. Keep a request small (a few hundred ids): the writer
     * does nothing else meanwhile. A failure fails this request only, unless the store fenced this leader out.
     */
    public CompletableFuture<List<Long>> deleteFinished(List<Long> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        WriteRequest r = new WriteRequest(null, null, false, List.copyOf(ids));
        queue.add(List.of(r));
        return r.deleted;
    }

    /**
     * Like {@link #apply}, but held until {@link #release}: what one caller writes in one turn (a node's outcomes
     * and the assignments that refill its workers) then shares one transaction instead of taking two commits in a
     * row. Only for one thread, which must release every turn.
     */
    public CompletableFuture<boolean[]> applyHeld(List<StateChange> changes) {
        return hold(changes, false);
    }

    /** Like {@link #applyHeld}, and then deferred up to the linger (see the class comment). */
    public CompletableFuture<boolean[]> deferHeld(List<StateChange> changes) {
        return hold(changes, true);
    }

    private CompletableFuture<boolean[]> hold(List<StateChange> changes, boolean lazy) {
        WriteRequest r = new WriteRequest(null, changes, lazy);
        if (!changes.isEmpty()) {
            held.add(r);
        }
        return r.applied;
    }

    /** Hands everything held to the writer at once, in the order it was held: it lands in one batch. */
    public void release() {
        if (!held.isEmpty()) {
            queue.add(List.copyOf(held));
            held.clear();
        }
    }

    private void loop() {
        WriteBatch batch = new WriteBatch();
        while (running) {
            try {
                long wait = deferred.isEmpty() ? 200_000_000L : Math.max(0, deferred.nextDueNanos() - System.nanoTime());
                List<WriteRequest> first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    first.forEach(r -> take(r, batch));
                    for (List<WriteRequest> next; batch.items() < MAX_ITEMS && (next = queue.poll()) != null; ) {
                        next.forEach(r -> take(r, batch));
                    }
                }
                if (closing) {
                    deferred.takeAll(batch);
                } else {
                    deferred.takeDue(System.nanoTime(), batch);
                }
                write(batch);
                if (closing && queue.isEmpty()) {
                    break; // everything handed over before close() is written
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        failLeftovers();
    }

    /** What was handed over but never written: its callers hear so instead of waiting forever. */
    private void failLeftovers() {
        WriteBatch left = new WriteBatch();
        deferred.takeAll(left);
        for (List<WriteRequest> next; (next = queue.poll()) != null; ) {
            next.forEach(r -> r.fail(new io.earthling.store.StoreUnavailableException(
                    "not written: this manager stopped leading", null)));
        }
        left.fail(new io.earthling.store.StoreUnavailableException("not written: this manager stopped leading", null));
    }

    private void take(WriteRequest r, WriteBatch batch) {
        if (r.jobs != null) {
            batch.insert(r);
            return;
        }
        if (r.deletes != null) {
            batch.delete(r);
            return;
        }
        boolean[] allowed = allowed(r);
        if (r.lazy && !batch.touchesAny(r.changes)) {
            deferred.add(r, allowed, System.nanoTime() + lingerNanos);
            return;
        }
        for (int i = 0; i < r.changes.size(); i++) {
            if (allowed[i]) {
                deferred.takeJob(r.changes.get(i).jobId(), batch);
                batch.add(r, i);
            }
        }
    }

    /**
     * A change the transition table forbids is a bug in its caller: it is answered "not applied" at once and never
     * joins a batch (tried again and again, it would stop this manager leading); the request's other changes go on.
     */
    private static boolean[] allowed(WriteRequest r) {
        boolean[] ok = new boolean[r.changes.size()];
        for (int i = 0; i < ok.length; i++) {
            try {
                r.changes.get(i).check();
                ok[i] = true;
            } catch (RuntimeException e) {
                log.error("Refused a state change from the manager itself ({}); the others are written as usual",
                        e.getMessage(), e);
                r.answer(i, false);
            }
        }
        return ok;
    }

    private void write(WriteBatch batch) {
        if (!batch.inserts.isEmpty()) {
            writeInserts(batch.inserts);
        }
        if (!batch.changes.isEmpty()) {
            writeChanges(batch);
        }
        for (WriteRequest r : batch.deletes) {
            writeDeletes(r);
        }
    }

    /** A failed delete fails its caller only (nothing that runs depends on it), unless this leader was fenced out. */
    private void writeDeletes(WriteRequest r) {
        try {
            r.deleted.complete(store.deleteFinished(r.deletes, epoch));
        } catch (FencedException e) {
            r.fail(e);
            if (!closing) {
                onLost.accept(e);
            }
        } catch (RuntimeException e) {
            log.warn("Deleting {} finished jobs failed; the caller gets the error: {}", r.deletes.size(), e.toString());
            r.fail(e);
        }
    }

    /** A failed insert fails its callers only: they are answered with the error and may submit again. */
    private void writeInserts(List<WriteRequest> batch) {
        List<NewJob> inserts = new ArrayList<>();
        batch.forEach(r -> inserts.addAll(r.jobs));
        try {
            List<Inserted> ids = timed(() -> store.add(inserts, epoch), inserts.size());
            int i = 0;
            for (WriteRequest r : batch) {
                r.inserted.complete(ids.subList(i, i + r.jobs.size()));
                i += r.jobs.size();
            }
        } catch (FencedException e) {
            batch.forEach(r -> r.fail(e));
            if (!closing) {
                onLost.accept(e);
            }
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
    private void writeChanges(WriteBatch batch) {
        List<StateChange> changes = batch.changes;
        for (int attempt = 1; ; attempt++) {
            try {
                boolean[] applied = timed(() -> store.apply(changes, epoch), changes.size());
                batch.answer(applied);
                return;
            } catch (FencedException e) {
                batch.fail(e);
                if (!closing) {
                    onLost.accept(e);
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= CHANGE_ATTEMPTS || !running || closing) {
                    log.error("A batch of {} state changes failed {} times ({}); this manager stops leading so that a"
                            + " leader starts again from the DB", changes.size(), attempt, e.toString());
                    batch.fail(e);
                    if (!closing) {
                        onLost.accept(e);
                    }
                    return;
                }
                long pause = Math.min(2_000, 50L << (attempt - 1));
                log.warn("A batch of {} state changes failed ({}); trying it again in {} ms, later writes wait",
                        changes.size(), e.toString(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    batch.fail(e);
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

    /**
     * Writes what was handed over so far, deferred changes included (within about 2 s), then stops; requests that
     * come later fail. A manager that lost its lease is refused by the fence as usual.
     */
    @Override
    public void close() {
        closing = true;
        queue.add(List.of()); // wakes the writer
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
        thread.interrupt();
    }
}

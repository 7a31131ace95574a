package io.earthling.assistant.internal;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.RunningJob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** The jobs this node runs now, reported on every heartbeat and registration. */
final class RunningJobs {

    /** One running job. A stop (timeout, cancel, superseded, self-fence) sets {@code stopReason} and a deadline. */
    static final class Entry {
        final Delivery job;
        final WorkerSlot slot;
        /** Wall time, for the outcome's report. */
        final long startedMs;
        volatile String stopReason;
        volatile boolean cancelled;
        /** On the node's monotonic clock ({@link RunningJobs#now()}); 0 = none: a wall-clock step kills nothing. */
        volatile long hardStopAtMs;

        Entry(Delivery job, WorkerSlot slot, long startedMs, long startedMonotonicMs) {
            this.job = job;
            this.slot = slot;
            this.startedMs = startedMs;
            if (job.getTimeoutMs() > 0) {
                hardStopAtMs = startedMonotonicMs + job.getTimeoutMs() + Watchdog.GRACE_MS;
            }
        }

        int attempt() {
            return job.getAttempt();
        }

        /**
         * Asks the worker to stop now; the watchdog kills its process if it has not stopped by the grace.
         * {@code nowMs}: {@link RunningJobs#now()}.
         */
        void stop(String reason, boolean cancel, long nowMs) {
            stopReason = reason;
            cancelled = cancel;
            hardStopAtMs = nowMs + Watchdog.GRACE_MS;
            slot.interrupt(job.getJobId());
        }
    }

    private final Map<Long, Entry> running = new ConcurrentHashMap<>();
    private final LongSupplier monotonicMs;

    RunningJobs() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    /** With {@code monotonicMs} as the clock of timeouts and stops (tests move it by hand). */
    RunningJobs(LongSupplier monotonicMs) {
        this.monotonicMs = monotonicMs;
    }

    /** Now on the monotonic clock that job deadlines count on, in ms. */
    long now() {
        return monotonicMs.getAsLong();
    }

    /** Null if this attempt of the job already runs here (a repeated delivery). */
    Entry start(Delivery job, WorkerSlot slot) {
        Entry e = new Entry(job, slot, System.currentTimeMillis(), now());
        return running.putIfAbsent(job.getJobId(), e) == null ? e : null;
    }

    boolean isRunning(long jobId, int attempt) {
        Entry e = running.get(jobId);
        return e != null && e.attempt() == attempt;
    }

    void finish(long jobId) {
        running.remove(jobId);
    }

    Entry get(long jobId) {
        return running.get(jobId);
    }

    Collection<Entry> all() {
        return running.values();
    }

    int size() {
        return running.size();
    }

    List<RunningJob> snapshot() {
        List<RunningJob> out = new ArrayList<>(running.size());
        running.forEach((id, e) -> out.add(RunningJob.newBuilder().setJobId(id).setAttempt(e.attempt())
                .setWorker(e.slot.name()).build()));
        return out;
    }
}

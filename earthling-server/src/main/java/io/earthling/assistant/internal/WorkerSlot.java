package io.earthling.assistant.internal;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * One worker: an OS process (its own port) or, in embedded mode, a thread. Runs one job at a time; a process may
 * hold a few more, in order, behind the one it runs.
 */
interface WorkerSlot extends AutoCloseable {
    /** The worker handed the job back without starting it: it should run elsewhere (no attempt used). */
    final class NotStarted extends RuntimeException {
        NotStarted(String why) {
            super(why, null, false, false);
        }
    }

    /** E.g. "127.0.0.2:1000" for a process, "127.0.0.1:50052/thread-1" for a thread. */
    String name();

    /**
     * Runs the job; the future completes with its outcome (a failed one if the worker died under it), or with
     * {@link NotStarted} if the worker gave it back before starting it.
     */
    CompletableFuture<JobOutcome> execute(Delivery job);

    /** {@link #execute} for several jobs at once, in order; a worker process gets them in one message. */
    default java.util.List<CompletableFuture<JobOutcome>> executeAll(java.util.List<Delivery> jobs) {
        return jobs.stream().map(this::execute).toList();
    }

    /** Asks the worker to stop the job; true if it was running it. */
    boolean interrupt(long jobId);

    /** What the job running here has logged so far; empty if it does not run here or the worker cannot say. */
    default java.util.Optional<String> logSoFar(long jobId) {
        return java.util.Optional.empty();
    }

    /** Whether this worker runs jobs of {@code type} (a node may have Java and Python workers). */
    default boolean runs(String type) {
        return true;
    }

    /** Whether jobs may wait inside this worker behind the one it runs. */
    default boolean holdsMore() {
        return false;
    }

    /** False while the worker is down (e.g. its process is restarting): it takes no job. */
    boolean healthy();

    @Override
    void close();
}

package io.earthling.assistant.internal;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.worker.Execution;
import io.earthling.worker.JobRunner;
import io.earthling.worker.Outcome;
import io.earthling.worker.WorkerServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Embedded mode: the worker is a thread of the assistant's JVM. */
final class ThreadSlot implements WorkerSlot {
    private final String name;
    private final JobRunner runner;
    private final ExecutorService thread;

    ThreadSlot(String name, JobRunner runner) {
        this.name = name;
        this.runner = runner;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "earthling-worker-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<JobOutcome> execute(Delivery job) {
        long started = System.currentTimeMillis();
        return CompletableFuture.supplyAsync(() -> {
            Outcome o = runner.run(new Execution(job.getJobId(), job.getType(), job.getQueue(),
                    job.getPayload().toString(StandardCharsets.UTF_8), job.getAttempt(), job.getTimeoutMs()));
            return Outcomes.of(job, name, started, WorkerServer.toResponse(job.getJobId(), o));
        }, thread);
    }

    @Override
    public boolean interrupt(long jobId) {
        return runner.interrupt(jobId);
    }

    @Override
    public java.util.Optional<String> logSoFar(long jobId) {
        return runner.logSoFar(jobId);
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

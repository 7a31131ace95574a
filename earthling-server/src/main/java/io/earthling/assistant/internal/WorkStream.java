package io.earthling.assistant.internal;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.ExecuteResponse;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one {@code Work} stream to one worker process. Every job sent waits here for its answer; when the stream
 * breaks (the process died) every job still waiting is reported lost.
 */
final class WorkStream {
    interface Events {
        void answered();

        /** Called once when the stream breaks, before the waiting jobs are reported lost. */
        void broken();
    }

    private record Waiting(Delivery job, long startedMs, CompletableFuture<JobOutcome> done) {
    }

    private final String worker;
    private final Events events;
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final StreamObserver<ExecuteRequest> requests;
    private volatile String brokenBy;

    WorkStream(WorkerGrpc.WorkerStub stub, String worker, Events events) {
        this.worker = worker;
        this.events = events;
        // Detached from whatever call got us here: the stream lives as long as the process.
        io.grpc.Context previous = io.grpc.Context.ROOT.attach();
        try {
            this.requests = stub.work(new Answers());
        } finally {
            io.grpc.Context.ROOT.detach(previous);
        }
    }

    CompletableFuture<JobOutcome> send(Delivery job) {
        Waiting w = new Waiting(job, System.currentTimeMillis(), new CompletableFuture<>());
        waiting.put(job.getJobId(), w);
        if (brokenBy != null) {
            lose(job.getJobId(), brokenBy);
            return w.done;
        }
        ExecuteRequest req = ExecuteRequest.newBuilder().setJobId(job.getJobId()).setType(job.getType())
                .setPayload(job.getPayload()).setAttempt(job.getAttempt()).setQueue(job.getQueue())
                .setTimeoutMs(job.getTimeoutMs()).build();
        synchronized (requests) {
            requests.onNext(req);
        }
        return w.done;
    }

    void close() {
        synchronized (requests) {
            requests.onCompleted();
        }
    }

    private void lose(long jobId, String why) {
        Waiting w = waiting.remove(jobId);
        if (w != null) {
            w.done.complete(Outcomes.lost(w.job, worker, w.startedMs, "worker process " + worker + " died: " + why));
        }
    }

    private final class Answers implements StreamObserver<ExecuteResponse> {
        @Override
        public void onNext(ExecuteResponse r) {
            events.answered();
            Waiting w = waiting.remove(r.getJobId());
            if (w != null) {
                w.done.complete(Outcomes.of(w.job, worker, w.startedMs, r));
            }
        }

        @Override
        public void onError(Throwable t) {
            brokenBy = String.valueOf(t.getMessage());
            // Off the transport thread: finding out whether the process exited takes a moment.
            CompletableFuture.runAsync(() -> {
                events.broken();
                waiting.keySet().forEach(id -> lose(id, brokenBy));
            });
        }

        @Override
        public void onCompleted() {
            onError(new IllegalStateException("the worker ended its stream"));
        }
    }
}

package io.earthling.assistant.internal;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.ExecuteResponse;
import io.earthling.protocol.worker.WorkBatch;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one {@code Work} stream to one worker process. Every job sent waits here for its answer. The process runs
 * them in the order sent, so when the stream breaks (the process died) only the oldest one can have started: it
 * is reported lost, and the others come back as not started.
 */
final class WorkStream {
    interface Events {
        void answered();

        /** Called once when the stream breaks, before the waiting jobs are reported lost. */
        void broken();
    }

    private record Waiting(Delivery job, long sentMs, long order, CompletableFuture<JobOutcome> done) {
    }

    private final String worker;
    private final Events events;
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final StreamObserver<WorkBatch> requests;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
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

    /** Sends the jobs in one message, in order; each future completes with its job's outcome. */
    List<CompletableFuture<JobOutcome>> send(List<Delivery> jobs) {
        List<CompletableFuture<JobOutcome>> done = new ArrayList<>(jobs.size());
        WorkBatch.Builder batch = WorkBatch.newBuilder();
        long now = System.currentTimeMillis();
        for (Delivery job : jobs) {
            Waiting w = new Waiting(job, now, sent.incrementAndGet(), new CompletableFuture<>());
            waiting.put(job.getJobId(), w);
            done.add(w.done);
            batch.addJobs(ExecuteRequest.newBuilder().setJobId(job.getJobId()).setType(job.getType())
                    .setPayload(job.getPayload()).setAttempt(job.getAttempt()).setQueue(job.getQueue())
                    .setTimeoutMs(job.getTimeoutMs()));
        }
        if (brokenBy != null) {
            for (Delivery job : jobs) {
                Waiting w = waiting.remove(job.getJobId());
                if (w != null) {
                    w.done.completeExceptionally(new WorkerSlot.NotStarted("the stream to " + worker + " broke: " + brokenBy));
                }
            }
            return done;
        }
        synchronized (requests) {
            requests.onNext(batch.build());
        }
        return done;
    }

    /** Whether the stream broke: nothing sent on it would run. */
    boolean broken() {
        return brokenBy != null;
    }

    void close() {
        synchronized (requests) {
            requests.onCompleted();
        }
    }

    private void lose(long jobId, String why) {
        Waiting w = waiting.remove(jobId);
        if (w != null) {
            w.done.complete(Outcomes.lost(w.job, worker, w.sentMs, "worker process " + worker + " died: " + why));
        }
    }

    /** The oldest job still waiting for its answer is lost with the process; the rest never started. */
    private void loseAll(String why) {
        java.util.List<Waiting> left = new java.util.ArrayList<>(waiting.values());
        left.sort(java.util.Comparator.comparingLong(Waiting::order));
        for (int i = 0; i < left.size(); i++) {
            Waiting w = left.get(i);
            if (i == 0) {
                lose(w.job.getJobId(), why);
            } else if (waiting.remove(w.job.getJobId(), w)) {
                w.done.completeExceptionally(new WorkerSlot.NotStarted("worker process " + worker + " died before it"));
            }
        }
    }

    /** The worker refused the stream: every job sent on it comes back as not started. */
    private void noneStarted(String why) {
        for (Waiting w : new java.util.ArrayList<>(waiting.values())) {
            if (waiting.remove(w.job.getJobId(), w)) {
                w.done.completeExceptionally(new WorkerSlot.NotStarted("worker " + worker + " refused the stream: " + why));
            }
        }
    }

    private final class Answers implements StreamObserver<AnswerBatch> {
        @Override
        public void onNext(AnswerBatch b) {
            events.answered();
            Batched.run(() -> b.getAnswersList().forEach(this::answer));
        }

        private void answer(ExecuteResponse r) {
            Waiting w = waiting.remove(r.getJobId());
            if (w == null) {
                return;
            }
            if (r.getReturned()) {
                w.done.completeExceptionally(new WorkerSlot.NotStarted("handed back by " + worker));
            } else {
                w.done.complete(Outcomes.of(w.job, worker, r.getStartedAtMs() > 0 ? r.getStartedAtMs() : w.sentMs, r));
            }
        }

        @Override
        public void onError(Throwable t) {
            brokenBy = String.valueOf(t.getMessage());
            // Refused by a live worker (its previous stream not yet seen ended, or the secret did not match): nothing
            // sent on this stream ran, so nothing is charged as lost with a dead process.
            io.grpc.Status.Code code = io.grpc.Status.fromThrowable(t).getCode();
            boolean refused = code == io.grpc.Status.Code.FAILED_PRECONDITION || code == io.grpc.Status.Code.UNAUTHENTICATED;
            // Off the transport thread: finding out whether the process exited takes a moment.
            CompletableFuture.runAsync(() -> {
                events.broken();
                if (refused) {
                    noneStarted(brokenBy);
                } else {
                    loseAll(brokenBy);
                }
            });
        }

        @Override
        public void onCompleted() {
            onError(new IllegalStateException("the worker ended its stream"));
        }
    }
}

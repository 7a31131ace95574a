package io.earthling.assistant.internal;

import io.earthling.protocol.CancelRequest;
import io.earthling.protocol.CancelResponse;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.DrainRequest;
import io.earthling.protocol.DrainResponse;
import io.earthling.protocol.EarthlingGrpc;
import io.earthling.protocol.JobLogRequest;
import io.earthling.protocol.JobLogResponse;
import io.earthling.protocol.ReportRequest;
import io.earthling.protocol.ReportResponse;
import io.grpc.stub.StreamObserver;

/**
 * The assistant's RPC face, the seed's {@code Earthling} service (the proto keeps that name for the seed's client):
 * it maps calls to the {@link EpochGate} (calls from an older leader are refused) and the {@link LocalQueue}
 * (which decides what runs, waits or is refused), and nothing else.
 */
public final class AssistantService extends EarthlingGrpc.EarthlingImplBase {
    private final SlotPool pool;
    private final RunningJobs running;
    private final Lifecycle lifecycle;
    private final EpochGate epochs;
    private final LocalQueue queue;

    AssistantService(SlotPool pool, RunningJobs running, Lifecycle lifecycle, EpochGate epochs, LocalQueue queue) {
        this.pool = pool;
        this.running = running;
        this.lifecycle = lifecycle;
        this.epochs = epochs;
        this.queue = queue;
    }

    @Override
    public void reportIdleWorker(ReportRequest r, StreamObserver<ReportResponse> out) {
        out.onNext(ReportResponse.newBuilder().setIdleCount(lifecycle.takesWork() ? pool.idleCount() : 0)
                .setBusyCount(running.size()).setTotalCount(pool.size()).build());
        out.onCompleted();
    }

    @Override
    public void deliver(DeliverRequest r, StreamObserver<DeliverResponse> out) {
        if (!epochs.accept(r.getEpoch())) {
            out.onError(epochs.stale(r.getEpoch()));
            return;
        }
        out.onNext(queue.take(r.getJobsList()).build());
        out.onCompleted();
    }

    @Override
    public void cancel(CancelRequest r, StreamObserver<CancelResponse> out) {
        if (!epochs.accept(r.getEpoch())) {
            out.onError(epochs.stale(r.getEpoch()));
            return;
        }
        out.onNext(CancelResponse.newBuilder().setFound(queue.cancel(r.getJobId())).build());
        out.onCompleted();
    }

    @Override
    public void jobLog(JobLogRequest r, StreamObserver<JobLogResponse> out) {
        JobLogResponse.Builder b = JobLogResponse.newBuilder();
        RunningJobs.Entry e = running.get(r.getJobId());
        if (e != null) {
            e.slot.logSoFar(r.getJobId()).ifPresent(log -> b.setRunning(true).setAttempt(e.job.getAttempt()).setLog(log));
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void drain(DrainRequest r, StreamObserver<DrainResponse> out) {
        if (!epochs.accept(r.getEpoch())) {
            out.onError(epochs.stale(r.getEpoch()));
            return;
        }
        lifecycle.drain();
        out.onNext(DrainResponse.newBuilder().setRunning(running.size()).build());
        out.onCompleted();
    }
}

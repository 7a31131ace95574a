package io.earthling.manager.internal;

import io.earthling.protocol.logs.AttemptLogInfo;
import io.earthling.protocol.logs.JobLogsGrpc;
import io.earthling.protocol.logs.LogChunk;
import io.earthling.protocol.logs.LogsRequest;
import io.earthling.protocol.logs.LogsResponse;
import io.earthling.store.AttemptLog;
import io.earthling.store.JobLogs;
import io.earthling.store.JobStore;
import io.earthling.store.StoredJob;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The central logs of job attempts; following a job polls its kept logs until it is final. */
public final class LogsService extends JobLogsGrpc.JobLogsImplBase {
    private static final long POLL_MS = 250;

    private final JobStore jobs;
    private final JobLogs logs;
    private final BooleanSupplier leader;
    private final ScheduledExecutorService timer;

    public LogsService(JobStore jobs, JobLogs logs, BooleanSupplier leader, ScheduledExecutorService timer) {
        this.jobs = jobs;
        this.logs = logs;
        this.leader = leader;
        this.timer = timer;
    }

    @Override
    public void get(LogsRequest r, StreamObserver<LogsResponse> out) {
        Optional<StoredJob> j = job(r, out);
        if (j.isEmpty()) {
            return;
        }
        LogsResponse.Builder b = LogsResponse.newBuilder().setState(j.get().state().name());
        logs.of(r.getId()).forEach(l -> b.addAttempts(AttemptLogInfo.newBuilder().setAttempt(l.attempt())
                .setAtMs(l.atMs()).setText(l.text())));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void follow(LogsRequest r, StreamObserver<LogChunk> out) {
        if (job(r, out).isPresent()) {
            poll(r.getId(), 0, (ServerCallStreamObserver<LogChunk>) out);
        }
    }

    /** Sends the attempts after {@code sent}; ends once the job is final and its last log was sent. */
    private void poll(long id, int sent, ServerCallStreamObserver<LogChunk> out) {
        if (out.isCancelled()) {
            return;
        }
        try {
            // The state first: a log kept after this read is still sent, on the next round or below.
            StoredJob j = jobs.get(id).orElseThrow();
            int last = sent;
            for (AttemptLog l : logs.of(id)) {
                if (l.attempt() > last) {
                    out.onNext(LogChunk.newBuilder().setAttempt(l.attempt()).setText(l.text()).setAttemptDone(true)
                            .setState(j.state().name()).build());
                    last = l.attempt();
                }
            }
            if (j.state().isFinal() && (last >= j.attempts() || settled(j))) {
                out.onNext(LogChunk.newBuilder().setState(j.state().name()).setEnd(true).build());
                out.onCompleted();
                return;
            }
            int next = last;
            timer.schedule(() -> poll(id, next, out), POLL_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            out.onError(Status.UNAVAILABLE.withDescription("logs: " + e.getMessage()).asRuntimeException());
        }
    }

    /** A final job whose last attempt left no log (none written, or cancelled before it ran) ends a moment later. */
    private static boolean settled(StoredJob j) {
        return System.currentTimeMillis() - j.finishedAtMs() > 2_000;
    }

    private Optional<StoredJob> job(LogsRequest r, StreamObserver<?> out) {
        if (!leader.getAsBoolean()) {
            out.onError(Status.UNAVAILABLE.withDescription("this manager is a standby; ask the leader").asRuntimeException());
            return Optional.empty();
        }
        Optional<StoredJob> j = jobs.get(r.getId());
        if (j.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no job with id " + r.getId()).asRuntimeException());
        }
        return j;
    }

}

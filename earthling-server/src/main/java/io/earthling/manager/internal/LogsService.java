package io.earthling.manager.internal;

import io.earthling.protocol.JobLogRequest;
import io.earthling.protocol.JobLogResponse;
import io.earthling.protocol.logs.AttemptLogInfo;
import io.earthling.protocol.logs.JobLogsGrpc;
import io.earthling.protocol.logs.LogChunk;
import io.earthling.protocol.logs.LogsRequest;
import io.earthling.protocol.logs.LogsResponse;
import io.earthling.store.AttemptLog;
import io.earthling.store.JobLogs;
import io.earthling.store.JobStore;
import io.earthling.store.StoredJob;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The central logs of job attempts. Following a job reads its kept logs and, while it runs, asks its node for the
 * running attempt's output, every 250 ms, until the job is final.
 */
public final class LogsService extends JobLogsGrpc.JobLogsImplBase {
    private static final long POLL_MS = 250;

    private final JobStore jobs;
    private final JobLogs logs;
    private final Supplier<Leadership> leadership;
    private final ScheduledExecutorService timer;

    public LogsService(JobStore jobs, JobLogs logs, Supplier<Leadership> leadership, ScheduledExecutorService timer) {
        this.jobs = jobs;
        this.logs = logs;
        this.leadership = leadership;
        this.timer = timer;
    }

    @Override
    public void get(LogsRequest r, StreamObserver<LogsResponse> out) {
        JobsService.reply(() -> read(r), out);
    }

    /** The kept logs of a job's attempts and, while it runs, what its node says the running attempt logged so far. */
    public CompletableFuture<LogsResponse> read(LogsRequest r) {
        StoredJob j = job(r);
        LogsResponse.Builder b = LogsResponse.newBuilder().setState(j.state().name());
        logs.of(r.getId()).forEach(l -> b.addAttempts(AttemptLogInfo.newBuilder().setAttempt(l.attempt())
                .setAtMs(l.atMs()).setText(l.text())));
        Leadership l = leadership.get();
        Node node = l == null || j.assignedNode() == null ? null : l.dispatcher().node(j.assignedNode());
        if (j.state() != io.earthling.api.JobState.RUNNING || node == null) {
            return CompletableFuture.completedFuture(b.build());
        }
        CompletableFuture<LogsResponse> answer = new CompletableFuture<>();
        node.stub.withDeadlineAfter(2, TimeUnit.SECONDS).jobLog(JobLogRequest.newBuilder().setEpoch(l.epoch())
                .setJobId(r.getId()).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(JobLogResponse v) {
                        if (v.getRunning()) {
                            b.setRunning(AttemptLogInfo.newBuilder().setAttempt(v.getAttempt())
                                    .setAtMs(System.currentTimeMillis()).setText(v.getLog()));
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        onCompleted(); // the kept logs still answer
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(b.build());
                    }
                });
        return answer;
    }

    @Override
    public void follow(LogsRequest r, StreamObserver<LogChunk> out) {
        try {
            job(r);
        } catch (Refusal e) {
            out.onError(ErrorMapping.status(e));
            return;
        }
        new Follower(r.getId(), (ServerCallStreamObserver<LogChunk>) out).tick();
    }

    /**
     * One follower, one tick at a time: kept logs of ended attempts, then, while the job runs, what its node says
     * the running attempt logged so far (only the part not sent yet), until the job is final.
     */
    private final class Follower {
        final long id;
        final ServerCallStreamObserver<LogChunk> out;
        int doneAttempt;
        int liveAttempt;
        String liveSent = "";

        Follower(long id, ServerCallStreamObserver<LogChunk> out) {
            this.id = id;
            this.out = out;
        }

        void tick() {
            if (out.isCancelled()) {
                return;
            }
            try {
                // The state first: a log kept after this read is still sent, on the next tick.
                StoredJob j = jobs.get(id).orElseThrow();
                for (AttemptLog l : logs.of(id)) {
                    if (l.attempt() > doneAttempt) {
                        String text = l.attempt() == liveAttempt && l.text().startsWith(liveSent)
                                ? l.text().substring(liveSent.length()) : l.text();
                        send(l.attempt(), text, true, j);
                        doneAttempt = l.attempt();
                    }
                }
                if (j.state().isFinal() && (doneAttempt >= j.attempts() || settled(j))) {
                    out.onNext(LogChunk.newBuilder().setState(j.state().name()).setEnd(true).build());
                    out.onCompleted();
                    return;
                }
                Leadership l = leadership.get();
                Node node = l == null || j.assignedNode() == null ? null : l.dispatcher().node(j.assignedNode());
                if (j.state() != io.earthling.api.JobState.RUNNING || node == null || j.attempts() <= doneAttempt) {
                    later();
                    return;
                }
                node.stub.withDeadlineAfter(2, TimeUnit.SECONDS).jobLog(JobLogRequest.newBuilder().setEpoch(l.epoch())
                        .setJobId(id).build(), new StreamObserver<>() {
                            @Override
                            public void onNext(JobLogResponse v) {
                                live(v, j);
                            }

                            @Override
                            public void onError(Throwable t) {
                                later();
                            }

                            @Override
                            public void onCompleted() {
                                later();
                            }
                        });
            } catch (RuntimeException e) {
                out.onError(ErrorMapping.status(Refusal.unavailable("logs: " + e.getMessage())));
            }
        }

        private void live(JobLogResponse v, StoredJob j) {
            if (!v.getRunning() || v.getAttempt() <= doneAttempt) {
                return;
            }
            if (v.getAttempt() != liveAttempt) {
                liveAttempt = v.getAttempt();
                liveSent = "";
            }
            if (v.getLog().length() > liveSent.length() && v.getLog().startsWith(liveSent)) {
                send(liveAttempt, v.getLog().substring(liveSent.length()), false, j);
                liveSent = v.getLog();
            }
        }

        private void send(int attempt, String text, boolean done, StoredJob j) {
            out.onNext(LogChunk.newBuilder().setAttempt(attempt).setText(text).setAttemptDone(done)
                    .setState(j.state().name()).build());
        }

        private void later() {
            timer.schedule(this::tick, POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** A final job whose last attempt left no log (none written, or cancelled before it ran) ends a moment later. */
    private static boolean settled(StoredJob j) {
        return System.currentTimeMillis() - j.finishedAtMs() > 2_000;
    }

    private StoredJob job(LogsRequest r) {
        if (leadership.get() == null) {
            throw Refusal.unavailable("this manager is a standby; ask the leader");
        }
        return jobs.get(r.getId()).orElseThrow(() -> Refusal.notFound("no job with id " + r.getId()));
    }
}

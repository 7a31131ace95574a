package io.earthling.manager.internal.rpc;

import io.earthling.manager.internal.api.LogsApi;
import io.earthling.protocol.JobLogResponse;
import io.earthling.protocol.logs.JobLogsGrpc;
import io.earthling.protocol.logs.LogChunk;
import io.earthling.protocol.logs.LogsRequest;
import io.earthling.protocol.logs.LogsResponse;
import io.earthling.store.AttemptLog;
import io.earthling.store.StoredJob;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code JobLogs} gRPC service over {@link LogsApi}. Following a job reads its kept logs and, while it runs, asks
 * its node for the running attempt's output, every 250 ms, until the job is final.
 */
public final class LogsService extends JobLogsGrpc.JobLogsImplBase {
    private static final long POLL_MS = 250;
    /** A final job whose last attempt left no log (none written, or cancelled before it ran) ends this long after. */
    private static final long SETTLE_MS = 2_000;

    private final LogsApi api;
    private final ScheduledExecutorService timer;
    private final Clock clock;

    public LogsService(LogsApi api, ScheduledExecutorService timer, Clock clock) {
        this.api = api;
        this.timer = timer;
        this.clock = clock;
    }

    @Override
    public void get(LogsRequest r, StreamObserver<LogsResponse> out) {
        JobsService.reply(() -> api.read(r), out);
    }

    @Override
    public void follow(LogsRequest r, StreamObserver<LogChunk> out) {
        try {
            api.job(r.getId());
        } catch (RuntimeException e) {
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
                StoredJob j = api.job(id);
                for (AttemptLog l : api.kept(id)) {
                    if (l.attempt() > doneAttempt) {
                        String text = l.attempt() == liveAttempt && l.text().startsWith(liveSent)
                                ? l.text().substring(liveSent.length()) : l.text();
                        send(l.attempt(), text, true, j);
                        doneAttempt = l.attempt();
                    }
                }
                if (j.state().isFinal() && (doneAttempt >= j.attempts() || clock.millis() - j.finishedAtMs() > SETTLE_MS)) {
                    out.onNext(LogChunk.newBuilder().setState(j.state().name()).setEnd(true).build());
                    out.onCompleted();
                    return;
                }
                if (j.attempts() <= doneAttempt) {
                    later();
                    return;
                }
                api.live(j).whenComplete((v, err) -> {
                    if (v != null) {
                        v.ifPresent(running -> live(running, j));
                    }
                    later();
                });
            } catch (RuntimeException e) {
                out.onError(ErrorMapping.status(e));
            }
        }

        private void live(JobLogResponse v, StoredJob j) {
            if (v.getAttempt() <= doneAttempt) {
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
}

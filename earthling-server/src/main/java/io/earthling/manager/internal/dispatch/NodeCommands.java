package io.earthling.manager.internal.dispatch;

import io.earthling.protocol.CancelRequest;
import io.earthling.protocol.DrainRequest;
import io.earthling.protocol.JobLogRequest;
import io.earthling.protocol.JobLogResponse;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to one assistant on behalf of a client: stop a job or drain (fire-and-forget: the job table already says
 * what happened), and read a running attempt's log.
 */
public final class NodeCommands {
    private static final Logger log = LoggerFactory.getLogger(NodeCommands.class);
    private static final long DEADLINE_S = 5;
    /** A log read answers a person waiting at a screen: short. */
    private static final long LOG_DEADLINE_S = 2;

    private NodeCommands() {
    }

    public static void cancel(Node n, long epoch, long jobId) {
        // Outside the caller's gRPC context: the caller's answer must not cancel this call.
        Context.ROOT.run(() -> n.stub.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).cancel(
                CancelRequest.newBuilder().setEpoch(epoch).setJobId(jobId).build(), ignored(n, "cancel of job " + jobId)));
    }

    public static void drain(Node n, long epoch) {
        Context.ROOT.run(() -> n.stub.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).drain(
                DrainRequest.newBuilder().setEpoch(epoch).build(), ignored(n, "drain")));
    }

    /** What the job's running attempt logged so far on node {@code n}; fails when the node does not answer in time. */
    public static CompletableFuture<JobLogResponse> jobLog(Node n, long epoch, long jobId) {
        CompletableFuture<JobLogResponse> answer = new CompletableFuture<>();
        Context.ROOT.run(() -> n.stub.withDeadlineAfter(LOG_DEADLINE_S, TimeUnit.SECONDS).jobLog(
                JobLogRequest.newBuilder().setEpoch(epoch).setJobId(jobId).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(JobLogResponse v) {
                        answer.complete(v);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.complete(JobLogResponse.getDefaultInstance());
                    }
                }));
        return answer;
    }

    private static <T> StreamObserver<T> ignored(Node n, String what) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
                log.info("Node {} did not answer the {} ({}); the job table already records it, nothing is retried",
                        n.id, what, t.getMessage());
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}

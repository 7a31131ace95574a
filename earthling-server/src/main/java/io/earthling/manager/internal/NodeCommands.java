package io.earthling.manager.internal;

import io.earthling.protocol.CancelRequest;
import io.earthling.protocol.DrainRequest;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells one assistant to stop a job or to drain, fire-and-forget: the job table already says what happened, and an
 * assistant that misses the call learns it from the leader's next answers (a stale result, its stop list).
 */
final class NodeCommands {
    private static final Logger log = LoggerFactory.getLogger(NodeCommands.class);
    private static final long DEADLINE_S = 5;

    private NodeCommands() {
    }

    static void cancel(Node n, long epoch, long jobId) {
        // Outside the caller's gRPC context: the caller's answer must not cancel this call.
        Context.ROOT.run(() -> n.stub.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).cancel(
                CancelRequest.newBuilder().setEpoch(epoch).setJobId(jobId).build(), ignored(n, "cancel of job " + jobId)));
    }

    static void drain(Node n, long epoch) {
        Context.ROOT.run(() -> n.stub.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).drain(
                DrainRequest.newBuilder().setEpoch(epoch).build(), ignored(n, "drain")));
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

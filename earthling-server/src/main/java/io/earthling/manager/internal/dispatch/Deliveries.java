package io.earthling.manager.internal.dispatch;

import io.earthling.core.ReadyJob;
import io.earthling.grpc.MessageSizes;
import io.earthling.protocol.AcceptedOn;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of the Deliver RPC: one asynchronous call per node and turn, carrying the leader's epoch, whose
 * answers go back to the dispatcher thread through {@code inbox}. Nothing is sent once the lease might have lapsed
 * unseen (fencing: docs/architecture.md, "Fencing").
 */
final class Deliveries {
    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    private static final long DEADLINE_S = 10;
    /** What a delivery adds to its payload: ids, type, queue, attempt, timeout (an upper bound for the cut). */
    private static final int PER_JOB_BYTES = 1_024;

    /** What a node answered, applied on the dispatcher thread. */
    interface Answers {
        /** The node started the job on {@code worker}. */
        void started(long jobId, String worker);

        /** The node refused the jobs: they go back to the ready queue, their attempt not counted. */
        void refused(List<Long> ids, String event, String detail);

        /**
         * The call failed: the node may have taken the jobs all the same (its answer lost to a deadline, a broken
         * link, this leader paused), so they go back with the attempt counted, as if their node were lost.
         */
        void failed(List<Long> ids, String event, String detail);
    }

    /** Counts how long each delivered job waited since it was due. */
    interface Metrics {
        void dispatched(long waitedMs);
    }

    private final long epoch;
    private final Executor inbox;
    private final Metrics metrics;
    private volatile BooleanSupplier leaseFresh = () -> true;
    private boolean stale;

    Deliveries(long epoch, Executor inbox, Metrics metrics) {
        this.epoch = epoch;
        this.inbox = inbox;
        this.metrics = metrics;
    }

    void lease(BooleanSupplier fresh) {
        this.leaseFresh = fresh;
    }

    /** Whether deliveries may go out now; says once when they may not. Dispatcher thread. */
    boolean leaseFresh() {
        if (leaseFresh.getAsBoolean()) {
            stale = false;
            return true;
        }
        if (!stale) {
            log.warn("The leader lease was not renewed in time: no deliveries until it is (or until this manager steps"
                    + " down)");
            stale = true;
        }
        return false;
    }

    /** Sends {@code flights} to {@code node}: one call per run of about {@link MessageSizes#BATCH_BYTES}. */
    void send(Node node, List<InFlight> flights, long nowMs, Answers answers) {
        for (List<InFlight> run : MessageSizes.chunks(flights, f -> f.job.payload().length + PER_JOB_BYTES,
                MessageSizes.BATCH_BYTES)) {
            sendRun(node, run, nowMs, answers);
        }
    }

    private void sendRun(Node node, List<InFlight> flights, long nowMs, Answers answers) {
        DeliverRequest.Builder req = DeliverRequest.newBuilder().setEpoch(epoch);
        for (InFlight f : flights) {
            ReadyJob j = f.job;
            req.addJobs(Delivery.newBuilder().setJobId(j.id()).setType(j.type()).setQueue(j.queue())
                    .setPayload(com.google.protobuf.ByteString.copyFrom(j.payload()))
                    .setAttempt(f.attempt).setTimeoutMs(j.timeoutMs()));
            metrics.dispatched(nowMs - j.runAtMs());
        }
        node.stub.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).deliver(req.build(), new StreamObserver<>() {
            @Override
            public void onNext(DeliverResponse resp) {
                inbox.execute(() -> delivered(node, resp, answers));
            }

            @Override
            public void onError(Throwable t) {
                inbox.execute(() -> {
                    node.blocked = true;
                    log.warn("Delivery of {} jobs to {} failed ({}); they go back to the ready queue with their"
                            + " attempt counted, in case the node runs them", flights.size(), node.id, t.toString());
                    answers.failed(flights.stream().map(f -> f.job.id()).toList(), "DELIVERY_FAILED", node.id + ": " + t);
                });
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    private static void delivered(Node node, DeliverResponse resp, Answers answers) {
        node.delivered += resp.getAcceptedCount();
        for (AcceptedOn a : resp.getAcceptedOnList()) {
            answers.started(a.getJobId(), a.getWorker());
        }
        if (resp.getRefusedCount() > 0) {
            node.refused += resp.getRefusedCount();
            node.blocked = true;
            log.debug("Node {} refused {} jobs (no idle worker); redirecting them", node.id, resp.getRefusedCount());
            answers.refused(resp.getRefusedList(), "REFUSED", "no idle worker on " + node.id + "; redirected");
        }
    }
}

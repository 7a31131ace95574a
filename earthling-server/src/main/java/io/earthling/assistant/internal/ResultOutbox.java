package io.earthling.assistant.internal;

import io.earthling.grpc.MessageSizes;
import io.earthling.protocol.manager.JobOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Outcomes waiting to be acknowledged by the leader. Nothing is dropped until the leader says it is durable. */
final class ResultOutbox {
    private final LinkedBlockingQueue<JobOutcome> queue = new LinkedBlockingQueue<>();
    private final List<JobOutcome> unacked = new ArrayList<>();
    private long unackedBytes;
    /** The largest outcome that still fits one report, with room for its envelope. */
    static final int MAX_OUTCOME_BYTES = MessageSizes.MAX_MESSAGE_BYTES - (1 << 20);

    /**
     * Keeps {@code o} until the leader acknowledges it. One that could never travel (a result or split near gRPC's
     * message limit) is kept as a failure that says so, not retried: resent for ever, it would hold back every
     * outcome of this node behind it.
     */
    void add(JobOutcome o) {
        if (o.getSerializedSize() > MAX_OUTCOME_BYTES) {
            o = o.toBuilder().clearResult().clearSplit().setStatus(JobOutcome.Status.FAILED).setRetryable(false)
                    .setError("the job's answer is " + o.getSerializedSize() + " bytes, over the " + MAX_OUTCOME_BYTES
                            + " bytes one report may carry: return less, or store the data elsewhere and return"
                            + " where")
                    .build();
        }
        queue.add(o);
    }

    /**
     * The batch to send: those not yet acknowledged plus new ones, at most {@code max} outcomes and, past the first,
     * at most {@code maxBytes} together (results can be large: one message must not outgrow gRPC's limit), waiting up
     * to {@code waitMs} for any.
     */
    List<JobOutcome> next(int max, long maxBytes, long waitMs) throws InterruptedException {
        if (unacked.isEmpty()) {
            JobOutcome first = queue.poll(waitMs, TimeUnit.MILLISECONDS);
            if (first == null) {
                return List.of();
            }
            unacked.add(first);
            unackedBytes = first.getSerializedSize();
        }
        for (JobOutcome o; unacked.size() < max && (o = queue.peek()) != null; ) {
            if (unackedBytes + o.getSerializedSize() > maxBytes) {
                break;
            }
            unacked.add(queue.poll());
            unackedBytes += o.getSerializedSize();
        }
        return List.copyOf(unacked);
    }

    void acknowledged() {
        unacked.clear();
        unackedBytes = 0;
    }

    /** Every outcome not yet acknowledged, oldest first; only on the thread that calls {@link #next}. */
    List<JobOutcome> unacknowledged() {
        List<JobOutcome> all = new ArrayList<>(unacked);
        all.addAll(queue);
        return all;
    }

    int waiting() {
        return unacked.size() + queue.size();
    }
}

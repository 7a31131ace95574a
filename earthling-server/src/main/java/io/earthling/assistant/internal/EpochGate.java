package io.earthling.assistant.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest leader epoch this node has seen (a delivery, cancel, drain, registration or heartbeat): calls and
 * answers from an older epoch are not obeyed (fencing: docs/architecture.md, "Fencing").
 */
final class EpochGate {
    private final AtomicLong highest = new AtomicLong();

    /** Raises the highest epoch seen; false if {@code epoch} is older than it. */
    boolean accept(long epoch) {
        return highest.accumulateAndGet(epoch, Math::max) == epoch;
    }

    long highest() {
        return highest.get();
    }

    /** The refusal of a call from {@code epoch}. */
    StatusRuntimeException stale(long epoch) {
        return Status.FAILED_PRECONDITION.withDescription("stale epoch " + epoch + ": this node follows epoch "
                + highest.get()).asRuntimeException();
    }
}

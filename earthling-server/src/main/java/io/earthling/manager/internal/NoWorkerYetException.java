package io.earthling.manager.internal;

import io.earthling.api.EarthlingException;
import io.earthling.api.internal.RetryHints;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A submission whose type no node offers yet while nodes may still be on their way (a leader that just took over,
 * no assistant connected): transient, answered {@code UNAVAILABLE} so that clients retry, never a final refusal.
 */
final class NoWorkerYetException extends EarthlingException {
    /** Nothing was stored: clients may try again shortly. */
    private static final long RETRY_AFTER_MS = 500;

    NoWorkerYetException(String message) {
        super(message);
    }

    /** The answer to the caller: {@code UNAVAILABLE} with a retry hint, the one mapping for submits and schedules. */
    StatusRuntimeException status() {
        return RetryHints.retryAfter(Status.UNAVAILABLE.withDescription(getMessage()), RETRY_AFTER_MS);
    }
}

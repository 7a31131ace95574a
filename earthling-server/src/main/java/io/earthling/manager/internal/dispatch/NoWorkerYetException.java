package io.earthling.manager.internal.dispatch;

import io.earthling.api.EarthlingException;

/**
 * A submission whose type no node offers yet while nodes may still be on their way (a leader that just took over,
 * no assistant connected): transient, answered {@code UNAVAILABLE} so that clients retry, never a final refusal.
 */
public final class NoWorkerYetException extends EarthlingException {
    /** Nothing was stored: clients may try again shortly. */
    public static final long RETRY_AFTER_MS = 500;

    NoWorkerYetException(String message) {
        super(message);
    }
}

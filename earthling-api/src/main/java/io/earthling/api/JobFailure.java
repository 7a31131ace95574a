package io.earthling.api;

/** Thrown by a handler to fail the attempt with a clear message; {@code retryable=false} skips further attempts. */
public class JobFailure extends EarthlingException {
    private final boolean retryable;

    public JobFailure(String message) {
        this(message, true);
    }

    public JobFailure(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}

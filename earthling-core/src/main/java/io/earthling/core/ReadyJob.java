package io.earthling.core;

/**
 * A job waiting in the manager's memory for a worker: everything the dispatcher and a worker need. At most
 * {@code concurrencyLimit} jobs with one non-null {@code concurrencyKey} run at a time.
 */
public record ReadyJob(long id, String queue, String type, byte[] payload, int priority, long runAtMs,
                       int attempts, int maxAttempts, long timeoutMs, String concurrencyKey, int concurrencyLimit) {

    /** The attempt number the next delivery will carry. */
    public int nextAttempt() {
        return attempts + 1;
    }

    /** This job again, due at {@code runAtMs}, with {@code attemptsMade} attempts counted. */
    public ReadyJob again(long runAtMs, int attemptsMade) {
        return new ReadyJob(id, queue, type, payload, priority, runAtMs, attemptsMade, maxAttempts, timeoutMs,
                concurrencyKey, concurrencyLimit);
    }
}

package io.earthling.core;

/** A job waiting in the manager's memory for a worker: everything the dispatcher and a worker need. */
public record ReadyJob(long id, String queue, String type, byte[] payload, int priority, long runAtMs,
                       int attempts, int maxAttempts, long timeoutMs) {

    /** The attempt number the next delivery will carry. */
    public int nextAttempt() {
        return attempts + 1;
    }
}

package io.earthling.store;

/** A validated submission. {@code payload} is UTF-8 JSON; {@code idempotencyKey} and {@code routingKey} may be null. */
public record NewJob(String queue, String type, String payload, int priority, int maxAttempts, long runAtMs,
                     long timeoutMs, String idempotencyKey, String routingKey) {
}

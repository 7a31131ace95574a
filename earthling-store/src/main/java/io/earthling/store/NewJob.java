package io.earthling.store;

/**
 * A validated submission. {@code payload} is UTF-8 JSON; {@code idempotencyKey}, {@code routingKey} and
 * {@code concurrencyKey} may be null.
 */
public record NewJob(String queue, String type, String payload, int priority, int maxAttempts, long runAtMs,
                     long timeoutMs, String idempotencyKey, String routingKey, String concurrencyKey,
                     int concurrencyLimit) {

    public NewJob(String queue, String type, String payload, int priority, int maxAttempts, long runAtMs,
                  long timeoutMs, String idempotencyKey, String routingKey) {
        this(queue, type, payload, priority, maxAttempts, runAtMs, timeoutMs, idempotencyKey, routingKey, null, 1);
    }
}

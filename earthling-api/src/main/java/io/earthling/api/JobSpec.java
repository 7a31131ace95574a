package io.earthling.api;

import java.time.Duration;
import java.util.Objects;

/** A job to submit. Build with {@link #of(String, String)} and the {@code with...} methods. */
public record JobSpec(String type, String payload, String queue, int priority, int maxAttempts,
                      String idempotencyKey, Duration delay, String routingKey, Duration timeout,
                      String concurrencyKey, int concurrencyLimit) {

    public JobSpec {
        Objects.requireNonNull(type, "type");
        payload = payload == null || payload.isBlank() ? "{}" : payload;
        queue = queue == null || queue.isBlank() ? "default" : queue;
        delay = delay == null ? Duration.ZERO : delay;
        timeout = timeout == null ? Duration.ZERO : timeout;
    }

    public static JobSpec of(String type, String payloadJson) {
        return new JobSpec(type, payloadJson, null, 0, 0, null, null, null, null, null, 0);
    }

    public JobSpec withQueue(String q) {
        return new JobSpec(type, payload, q, priority, maxAttempts, idempotencyKey, delay, routingKey, timeout,
                concurrencyKey, concurrencyLimit);
    }

    public JobSpec withPriority(int p) {
        return new JobSpec(type, payload, queue, p, maxAttempts, idempotencyKey, delay, routingKey, timeout,
                concurrencyKey, concurrencyLimit);
    }

    /** Stops an attempt that runs longer (it counts as failed); zero means no timeout. */
    public JobSpec withTimeout(Duration t) {
        return new JobSpec(type, payload, queue, priority, maxAttempts, idempotencyKey, delay, routingKey, t,
                concurrencyKey, concurrencyLimit);
    }

    /** Submitting again with the same key in the same queue returns the first job's id and creates nothing. */
    public JobSpec withIdempotencyKey(String key) {
        return new JobSpec(type, payload, queue, priority, maxAttempts, key, delay, routingKey, timeout, concurrencyKey,
                concurrencyLimit);
    }

    public JobSpec withDelay(Duration d) {
        return new JobSpec(type, payload, queue, priority, maxAttempts, idempotencyKey, d, routingKey, timeout,
                concurrencyKey, concurrencyLimit);
    }

    public JobSpec withMaxAttempts(int n) {
        return new JobSpec(type, payload, queue, priority, n, idempotencyKey, delay, routingKey, timeout,
                concurrencyKey, concurrencyLimit);
    }

    /** At most {@code limit} jobs with this key (a customer, a host) run at once, across all queues. */
    public JobSpec withConcurrencyKey(String key, int limit) {
        return new JobSpec(type, payload, queue, priority, maxAttempts, idempotencyKey, delay, routingKey, timeout, key,
                limit);
    }
}

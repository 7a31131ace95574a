package io.earthling.api;

import java.time.Duration;
import java.util.Objects;

/** A job to submit. Build with {@link #of(String, String)} and the {@code with...} methods. */
public record JobSpec(String type, String payload, String queue, int priority, int maxAttempts,
                      String idempotencyKey, Duration delay, String routingKey, Duration timeout) {

    public JobSpec {
        Objects.requireNonNull(type, "type");
        payload = payload == null || payload.isBlank() ? "{}" : payload;
        queue = queue == null || queue.isBlank() ? "default" : queue;
        delay = delay == null ? Duration.ZERO : delay;
        timeout = timeout == null ? Duration.ZERO : timeout;
    }

    public static JobSpec of(String type, String payloadJson) {
        return new JobSpec(type, payloadJson, null, 0, 0, null, null, null, null);
    }

    public JobSpec withQueue(String q) {
        return new JobSpec(type, payload, q, priority, maxAttempts, idempotencyKey, delay, routingKey, timeout);
    }

    public JobSpec withPriority(int p) {
        return new JobSpec(type, payload, queue, p, maxAttempts, idempotencyKey, delay, routingKey, timeout);
    }

    /** Stops an attempt that runs longer (it counts as failed); zero means no timeout. */
    public JobSpec withTimeout(Duration t) {
        return new JobSpec(type, payload, queue, priority, maxAttempts, idempotencyKey, delay, routingKey, t);
    }

    /** Submitting again with the same key in the same queue returns the first job's id and creates nothing. */
    public JobSpec withIdempotencyKey(String key) {
        return new JobSpec(type, payload, queue, priority, maxAttempts, key, delay, routingKey, timeout);
    }

    public JobSpec withDelay(Duration d) {
        return new JobSpec(type, payload, queue, priority, maxAttempts, idempotencyKey, d, routingKey, timeout);
    }

    public JobSpec withMaxAttempts(int n) {
        return new JobSpec(type, payload, queue, priority, n, idempotencyKey, delay, routingKey, timeout);
    }
}

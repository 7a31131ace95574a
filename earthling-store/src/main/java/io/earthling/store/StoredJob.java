package io.earthling.store;

import io.earthling.api.JobState;

/** A row of {@code jobs}. Times are epoch millis, 0 when unset; text fields may be null. */
public record StoredJob(long id, String queue, String type, String payload, int priority, JobState state,
                        int attempts, int maxAttempts, long runAtMs, long timeoutMs, String idempotencyKey,
                        String routingKey, String result, String error, String assignedNode,
                        String assignedWorker, long epoch, long createdAtMs, long startedAtMs,
                        long finishedAtMs, String concurrencyKey, int concurrencyLimit) {
}

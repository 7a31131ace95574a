package io.earthling.api;

import java.time.Instant;

/** A job as the manager sees it. Times are null until they happen; result and payload are JSON text. */
public record JobView(long id, String queue, String type, JobState state, int attempts, int maxAttempts,
                      int priority, String payload, String result, String error, String node, String worker,
                      Instant createdAt, Instant startedAt, Instant finishedAt) {
}

package io.earthling.api;

import java.time.Instant;

/**
 * A job as the manager sees it. Times are null until they happen; result and payload are JSON text; {@code waiting}
 * says why a job that is not final does not run (null when it runs, ended, or the manager cannot tell).
 */
public record JobView(long id, String queue, String type, JobState state, int attempts, int maxAttempts,
                      int priority, String payload, String result, String error, String node, String worker,
                      Instant createdAt, Instant startedAt, Instant finishedAt, Waiting waiting) {

    /** Why a job waits: {@code reason} is machine-readable (DELAYED, QUEUE_PAUSED, ...; docs/api.md), {@code until}
     * when the wait ends where known. */
    public record Waiting(String reason, String detail, Instant until) {
    }

    public JobView(long id, String queue, String type, JobState state, int attempts, int maxAttempts, int priority,
                   String payload, String result, String error, String node, String worker, Instant createdAt,
                   Instant startedAt, Instant finishedAt) {
        this(id, queue, type, state, attempts, maxAttempts, priority, payload, result, error, node, worker, createdAt,
                startedAt, finishedAt, null);
    }
}

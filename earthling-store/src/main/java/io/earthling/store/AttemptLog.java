package io.earthling.store;

/** What one attempt of a job logged; {@code atMs} when it was kept. */
public record AttemptLog(long jobId, int attempt, long atMs, String text) {
}

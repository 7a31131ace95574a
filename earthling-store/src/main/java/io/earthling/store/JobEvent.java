package io.earthling.store;

/** One line of the central log of a job. */
public record JobEvent(long jobId, long atMs, String kind, int attempt, String node, String worker, String detail) {
}

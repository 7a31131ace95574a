package io.earthling.core;

/**
 * One queue at a moment: {@code ready} jobs due now (some may wait for their concurrency key), {@code delayed}
 * jobs not yet due (delays, retry backoff), {@code running} jobs on their way to or on a worker, {@code health}
 * the moving success rate of its recent attempts (1 = all succeed), {@code oldestReadyMs} the due time of its
 * oldest ready job (0 if none).
 */
public record QueueSnapshot(String name, QueueLimits limits, boolean paused, int ready, int delayed, int running,
                            double health, long oldestReadyMs) {
}

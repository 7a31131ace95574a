package io.earthling.api;

/**
 * A queue as the leader sees it: its share and limits (0 = no limit), whether it is paused, how many jobs are
 * due ({@code ready}), waiting for a due time ({@code delayed}) and running, the moving success rate of its
 * recent attempts ({@code health}, 1 = all succeed) and the due time of its oldest ready job (null if none).
 */
public record QueueView(String name, int weight, int concurrency, double rate, boolean paused, int ready, int delayed,
                        int running, double health, java.time.Instant oldestReady) {
}

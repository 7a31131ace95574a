package io.earthling.manager;

/**
 * Caps where input enters the manager beyond the submission limits (issue 16, items 7 and 8): children per split
 * and split depth, error and log texts an assistant reports, the ids and the wait of one {@code Wait} call, and
 * the distinct queue and type labels of the job metrics (the rest are counted under {@code "other"}), and how many
 * PENDING jobs the leader holds ready in memory ({@code readyWindow}; the rest of a backlog waits in the database,
 * by id, and is paged in as the window empties).
 */
public record InputLimits(int maxSplitChildren, int maxSplitDepth, int maxErrorBytes, int maxLogBytes, int maxWaitIds,
                          long maxWaitMs, int maxMetricLabels, int readyWindow) {
    /** PENDING jobs held ready in memory unless {@code limits.readyWindow} says. */
    public static final int DEFAULT_READY_WINDOW = 100_000;
    public static final InputLimits DEFAULT = new InputLimits(100_000, 16, 16 * 1024, 64 * 1024, 1000, 300_000, 100,
            DEFAULT_READY_WINDOW);

    public InputLimits(int maxSplitChildren, int maxSplitDepth, int maxErrorBytes, int maxLogBytes, int maxWaitIds,
                       long maxWaitMs, int maxMetricLabels) {
        this(maxSplitChildren, maxSplitDepth, maxErrorBytes, maxLogBytes, maxWaitIds, maxWaitMs, maxMetricLabels,
                DEFAULT_READY_WINDOW);
    }

    /** These limits with a ready window of {@code jobs}. */
    public InputLimits withReadyWindow(int jobs) {
        return new InputLimits(maxSplitChildren, maxSplitDepth, maxErrorBytes, maxLogBytes, maxWaitIds, maxWaitMs,
                maxMetricLabels, jobs);
    }

    public InputLimits {
        if (maxSplitChildren < 1 || maxSplitDepth < 1 || maxErrorBytes < 64 || maxLogBytes < 64 || maxWaitIds < 1
                || maxWaitMs < 1 || maxMetricLabels < 1 || readyWindow < 2) {
            throw new IllegalArgumentException("input limits must be positive (errors and logs at least 64 bytes)");
        }
    }
}

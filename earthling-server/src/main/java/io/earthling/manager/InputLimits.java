package io.earthling.manager;

/**
 * Caps where input enters the manager beyond the submission limits (issue 16, items 7 and 8): children per split
 * and split depth, error and log texts an assistant reports, the ids and the wait of one {@code Wait} call, and
 * the distinct queue and type labels of the job metrics (the rest are counted under {@code "other"}).
 */
public record InputLimits(int maxSplitChildren, int maxSplitDepth, int maxErrorBytes, int maxLogBytes, int maxWaitIds,
                          long maxWaitMs, int maxMetricLabels) {
    public static final InputLimits DEFAULT = new InputLimits(100_000, 16, 16 * 1024, 64 * 1024, 1000, 300_000, 100);

    public InputLimits {
        if (maxSplitChildren < 1 || maxSplitDepth < 1 || maxErrorBytes < 64 || maxLogBytes < 64 || maxWaitIds < 1
                || maxWaitMs < 1 || maxMetricLabels < 1) {
            throw new IllegalArgumentException("input limits must be positive (errors and logs at least 64 bytes)");
        }
    }
}

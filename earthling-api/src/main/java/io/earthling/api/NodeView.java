package io.earthling.api;

import java.util.List;

/**
 * An assistant as the leader sees it. {@code status}: ONLINE, SUSPECT (a heartbeat late), DRAINING, OFFLINE;
 * {@code reason}: why it gets no new work, empty if it gets work. Readings of -1 are unknown.
 */
public record NodeView(String id, String status, int workers, int idle, int running, List<String> types,
                       long lastSeenMsAgo, long delivered, long refused, double cpuLoad, double loadAverage,
                       long memoryAvailableBytes, long diskAvailableBytes, double ioWait, int broken, int restarts,
                       String reason) {
}

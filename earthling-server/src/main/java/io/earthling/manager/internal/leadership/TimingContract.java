package io.earthling.manager.internal.leadership;

/**
 * The timing contract between the leader and its assistants (docs/operations.md, "Timing contract"): an assistant
 * that has lost the leader fences itself off strictly before the leader declares it lost and hands its jobs out
 * again, so a partitioned node never runs a job beside its next attempt for longer than a handler takes to obey
 * a stop.
 *
 * <p>The assistant counts its silence from when it <em>sent</em> its last answered heartbeat, which the leader
 * received later; its watchdog looks every {@link #WATCHDOG_TICK_MS}. So fencing starts at most
 * {@code selfFence + tick} after the last beat the leader saw, and the margin below keeps that under the grace.
 */
public final class TimingContract {
    /** How often the assistant's watchdog looks (its fencing may come this much after the deadline). */
    public static final long WATCHDOG_TICK_MS = 250;

    private TimingContract() {
    }

    /**
     * The self-fencing deadline the leader gives assistants: the node grace less a margin of half a heartbeat,
     * at least two watchdog ticks, and never under half the grace.
     */
    public static long selfFenceMs(long nodeGraceMs, long heartbeatMs) {
        long margin = Math.max(2 * WATCHDOG_TICK_MS, heartbeatMs / 2);
        return Math.max(nodeGraceMs / 2, nodeGraceMs - margin);
    }
}

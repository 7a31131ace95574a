package io.earthling.manager.internal.dispatch;

import io.earthling.manager.ManagerSettings;
import io.earthling.protocol.manager.NodeState;

/** Whether a node's reported state keeps it from new work (docs/architecture.md, "Failure detection": placement may use node state). */
final class Placement {
    private Placement() {
    }

    /** The reason the node is over a limit, or null if it may take work. Unknown readings never block. */
    static String check(NodeState s, ManagerSettings limits) {
        if (s.getMemoryAvailableBytes() > 0 && s.getMemoryAvailableBytes() < limits.minMemoryBytes()) {
            return "memory available " + mb(s.getMemoryAvailableBytes()) + " MiB is below placement.minMemoryMb "
                    + mb(limits.minMemoryBytes());
        }
        if (s.getDiskAvailableBytes() > 0 && s.getDiskAvailableBytes() < limits.minDiskBytes()) {
            return "disk available " + mb(s.getDiskAvailableBytes()) + " MiB is below placement.minDiskMb "
                    + mb(limits.minDiskBytes());
        }
        if (limits.maxCpuLoad() < 1.0 && s.getCpuLoad() > limits.maxCpuLoad()) {
            return String.format("CPU %.0f%% is above placement.maxCpuPercent %.0f", s.getCpuLoad() * 100,
                    limits.maxCpuLoad() * 100);
        }
        return null;
    }

    private static long mb(long bytes) {
        return bytes >> 20;
    }
}

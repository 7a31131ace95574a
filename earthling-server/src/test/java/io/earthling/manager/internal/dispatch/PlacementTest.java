package io.earthling.manager.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.manager.ManagerSettings;
import io.earthling.protocol.manager.NodeState;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final long MB = 1 << 20;
    private final ManagerSettings limits = new ManagerSettings("127.0.0.1", 1, "jdbc:h2:mem:x", null, null, 1, 1000,
            3000, 5000, 1000, 10000, 1 << 20, 10000, 64 * MB, 256 * MB, 0.9, java.util.Map.of(), java.util.Map.of());

    private static NodeState state(long memMb, long diskMb, double cpu) {
        return NodeState.newBuilder().setMemoryAvailableBytes(memMb * MB).setDiskAvailableBytes(diskMb * MB)
                .setCpuLoad(cpu).build();
    }

    @Test
    void a_node_within_every_limit_takes_work() {
        assertThat(Placement.check(state(1024, 10_000, 0.5), limits)).isNull();
    }

    @Test
    void a_node_short_of_memory_or_disk_or_over_the_cpu_ceiling_gets_no_work_and_says_why() {
        assertThat(Placement.check(state(32, 10_000, 0.5), limits))
                .isEqualTo("memory available 32 MiB is below placement.minMemoryMb 64");
        assertThat(Placement.check(state(1024, 100, 0.5), limits))
                .isEqualTo("disk available 100 MiB is below placement.minDiskMb 256");
        assertThat(Placement.check(state(1024, 10_000, 0.95), limits))
                .isEqualTo("CPU 95% is above placement.maxCpuPercent 90");
    }

    @Test
    void unknown_readings_never_keep_a_node_from_work() {
        assertThat(Placement.check(NodeState.newBuilder().setCpuLoad(-1).build(), limits)).isNull();
    }
}

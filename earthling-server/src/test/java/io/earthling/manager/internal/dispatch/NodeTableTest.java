package io.earthling.manager.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.manager.ManagerSettings;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.NodeState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The node table on its own: registration, heartbeats, silence, pauses, drains and placement (heartbeat 1 s, grace 3 s). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NodeTableTest {
    static final ManagerSettings TIMING = new ManagerSettings("127.0.0.1", 1, "jdbc:h2:mem:x", null, null, 1, 1_000,
            3_000, 2_000, 500, 60_000, 1 << 20, 1_000, 1L << 30, 0, 0.9, Map.of(), Map.of());
    private final NodeTable table = new NodeTable(TIMING);

    @Test
    void a_registered_node_takes_jobs_of_its_types_up_to_its_workers_and_queue_slots() {
        Node n = register("a", 2, 1, List.of("noop", "echo"), 0);

        assertThat(table.pick("noop")).isSameAs(n);
        assertThat(table.pick("mail")).as("a type it does not run").isNull();
        n.assigned = 3;
        assertThat(table.pick("noop")).as("2 workers + 1 queue slot taken").isNull();
        assertThat(table.anyFree()).isFalse();
    }

    @Test
    void the_node_with_the_most_idle_workers_gets_the_job() {
        Node a = register("a", 2, 0, List.of("noop"), 0);
        Node b = register("b", 4, 0, List.of("noop"), 0);
        b.assigned = 3;

        assertThat(table.pick("noop")).isSameAs(a);
    }

    @Test
    void a_node_silent_longer_than_the_grace_goes_offline_and_its_types_are_no_longer_offered() {
        register("a", 1, 0, List.of("noop"), 0);
        register("b", 1, 0, List.of("echo"), 0);
        sweepEvery500ms(0, 2_500);
        table.heartbeat(beat("b"), 2_500);

        NodeTable.Sweep s = table.sweep(3_001);

        assertThat(s.lost()).extracting(n -> n.id).containsExactly("a");
        assertThat(table.offered()).containsExactly("echo");
        assertThat(table.everOffered()).as("remembered: its jobs wait for it").containsExactly("echo", "noop");
        assertThat(table.heartbeat(beat("a"), 3_100)).as("an offline node must register again").isNull();
    }

    @Test
    void a_sweep_long_after_the_previous_one_is_a_pause_of_this_leader_and_every_node_gets_a_fresh_grace() {
        register("a", 1, 0, List.of("noop"), 0);
        table.sweep(0);

        NodeTable.Sweep s = table.sweep(10_000);

        assertThat(s.lost()).isEmpty();
        assertThat(s.pausedMs()).isEqualTo(10_000);
        assertThat(table.sweep(10_250).lost()).as("the grace starts again from the resume").isEmpty();
        sweepEvery500ms(10_500, 13_000);
        assertThat(table.sweep(13_001).lost()).as("then silence counts again").hasSize(1);
    }

    @Test
    void a_draining_node_or_one_over_a_placement_limit_gets_no_new_work() {
        Node a = register("a", 2, 0, List.of("noop"), 0);
        table.drain("a");
        assertThat(table.pick("noop")).isNull();
        assertThat(a.reason()).isEqualTo("draining");

        Node b = register("b", 2, 0, List.of("noop"), 0);
        table.heartbeat(beat("b").toBuilder().setState(NodeState.newBuilder().setMemoryAvailableBytes(1 << 20)).build(), 10);
        assertThat(table.pick("noop")).isNull();
        assertThat(b.reason()).contains("placement.minMemoryMb");
    }

    @Test
    void a_node_that_registers_again_at_another_address_keeps_its_count_of_jobs() {
        register("a", 1, 0, List.of("noop"), 0);
        Node again = table.register(new NodeTable.Registration("a", "127.0.0.3", 7, 1, 1, 1, 0, List.of("noop"), 0),
                0, NodeTableTest::unconnected, old -> { }, 1);

        assertThat(again.address).isEqualTo("127.0.0.3");
        assertThat(again.assigned).isEqualTo(1);
        assertThat(table.all()).hasSize(1);
    }

    @Test
    void a_node_that_leaves_is_forgotten() {
        register("a", 1, 0, List.of("noop"), 0);

        assertThat(table.leave("a")).isNotNull();
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.offered()).isEmpty();
    }

    private Node register(String id, int workers, int queueSlots, List<String> types, long nowMs) {
        return table.register(new NodeTable.Registration(id, "127.0.0.2", id.hashCode() & 0xffff, workers, workers,
                workers, queueSlots, types, 0), nowMs, NodeTableTest::unconnected, old -> { }, 0);
    }

    /** A node without a channel: the table never calls it. */
    static Node unconnected(NodeTable.Registration r) {
        return new Node(r.id(), r.address(), r.port(), null);
    }

    private void sweepEvery500ms(long from, long to) {
        for (long t = from; t <= to; t += 500) {
            table.sweep(t);
        }
    }

    private static HeartbeatRequest beat(String id) {
        return HeartbeatRequest.newBuilder().setNodeId(id).setHealthyCount(2).build();
    }
}

package io.earthling.manager.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.core.ReadyJob;
import io.earthling.manager.internal.dispatch.TypeWaits.Fate;
import io.earthling.manager.internal.dispatch.TypeWaits.Intake;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Jobs whose type no node runs right now wait; only an unknown type or a long absence ends them (grace 2 s, wait 60 s). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TypeWaitsTest {
    private final NodeTable nodes = new NodeTable(NodeTableTest.TIMING);
    private final TypeWaits waits = new TypeWaits(0, 2_000, 60_000);

    @Test
    void before_the_leader_settles_or_with_no_node_every_type_waits_and_intake_says_retry() {
        assertThat(waits.fate("mark", nodes, 0, 1_000)).isEqualTo(Fate.WAIT);
        assertThat(waits.fate("mark", nodes, 0, 50_000)).as("no node at all").isEqualTo(Fate.WAIT);
        assertThat(waits.intake("mark", nodes, 1_000)).isEqualTo(Intake.RETRY_LATER);
        assertThat(waits.intake("mark", nodes, 50_000)).isEqualTo(Intake.RETRY_LATER);
    }

    @Test
    void a_type_no_node_ever_offered_is_unknown_once_the_leader_settled() {
        register("a", "noop");

        assertThat(waits.fate("mark", nodes, 0, 2_000)).isEqualTo(Fate.BURY);
        assertThat(waits.intake("mark", nodes, 2_000)).isEqualTo(Intake.UNKNOWN);
        assertThat(waits.why("mark", nodes)).isEqualTo(
                "unknown job type 'mark': no connected worker can run it (known: noop)");
    }

    @Test
    void a_parked_delayed_job_run_now_is_ready_due_at_that_time_once_its_type_comes() {
        waits.park(new ReadyJob(1, "default", "mark", new byte[0], 0, 99_000, 0, 3, 0, null, 1), 0);

        assertThat(waits.runNow(1, 3_000)).isTrue();
        assertThat(waits.runNow(2, 3_000)).as("not parked").isFalse();
        register("a", "mark");
        List<ReadyJob> ready = new ArrayList<>();
        waits.review(nodes, 4_000, ready, new ArrayList<>());
        assertThat(ready).extracting(ReadyJob::runAtMs).containsExactly(3_000L);
    }

    @Test
    void the_known_types_named_to_users_leave_out_the_ones_the_system_runs_for_itself() {
        register("a", "wordcount", "noop", "pipeline", "pipeline-pass", "wordcount-part", "wordcount-merge");

        assertThat(waits.why("mark", nodes)).endsWith("(known: noop, pipeline, wordcount)");
    }

    @Test
    void a_type_whose_nodes_are_briefly_away_waits_up_to_the_type_wait_and_is_accepted_meanwhile() {
        register("a", "mark");
        register("b", "noop");
        for (long t = 0; t <= 3_000; t += 500) {
            nodes.heartbeat(io.earthling.protocol.manager.HeartbeatRequest.newBuilder().setNodeId("b").build(), t);
            nodes.sweep(t);
        }
        nodes.sweep(3_001);
        assertThat(nodes.offered()).doesNotContain("mark");

        assertThat(waits.fate("mark", nodes, 3_001, 10_000)).isEqualTo(Fate.WAIT);
        assertThat(waits.intake("mark", nodes, 10_000)).isEqualTo(Intake.ACCEPT);
        assertThat(waits.fate("mark", nodes, 3_001, 63_001)).isEqualTo(Fate.BURY);
        assertThat(waits.why("mark", nodes)).contains("no worker of type 'mark' came back within 60 s");
    }

    @Test
    void parked_jobs_queue_up_as_soon_as_a_node_offers_their_type() {
        waits.park(job(1, "mark"), 0);
        waits.park(job(2, "mark"), 0);
        waits.park(job(3, "other"), 0);
        assertThat(waits.counts()).containsEntry("mark", 2).containsEntry("other", 1);

        register("a", "mark");
        List<ReadyJob> ready = new ArrayList<>();
        List<ReadyJob> buried = new ArrayList<>();
        waits.review(nodes, 1_000, ready, buried);

        assertThat(ready).extracting(ReadyJob::id).containsExactly(1L, 2L);
        assertThat(buried).isEmpty();
        assertThat(waits.counts()).containsOnlyKeys("other");
        assertThat(waits.remove(3)).isTrue();
        assertThat(waits.isEmpty()).isTrue();
    }

    private void register(String id, String... types) {
        nodes.register(new NodeTable.Registration(id, "127.0.0.2", id.hashCode(), 1, 1, 1, 0, List.of(types), 0), 0,
                NodeTableTest::unconnected, old -> { }, 0);
    }

    private static ReadyJob job(long id, String type) {
        return new ReadyJob(id, "default", type, new byte[0], 0, 0, 0, 3, 0, null, 1);
    }
}

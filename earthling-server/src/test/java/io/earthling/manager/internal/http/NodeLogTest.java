package io.earthling.manager.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.protocol.jobs.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Node events come from comparing readings of the node table; a late heartbeat (SUSPECT) is not an event. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NodeLogTest {
    private final NodeLog log = new NodeLog();

    @Test
    void joining_going_offline_coming_back_draining_and_leaving_are_each_one_event() {
        log.observe(List.of(node("a", "ONLINE")), 1);
        log.observe(List.of(node("a", "SUSPECT"), node("b", "ONLINE")), 2);
        log.observe(List.of(node("a", "OFFLINE"), node("b", "ONLINE")), 3);
        log.observe(List.of(node("a", "ONLINE"), node("b", "DRAINING")), 4);
        log.observe(List.of(node("a", "ONLINE")), 5);
        log.observe(List.of(node("a", "ONLINE")), 6);

        assertThat(log.recent()).extracting(e -> e.kind() + " " + e.node()).containsExactly(
                "NODE_LEFT b", "NODE_DRAINING b", "NODE_BACK a", "NODE_OFFLINE a", "NODE_JOINED b", "NODE_JOINED a");
    }

    @Test
    void only_the_newest_events_are_kept() {
        for (int i = 0; i < NodeLog.KEEP + 10; i++) {
            log.observe(List.of(node("n" + i, "ONLINE")), i);
        }

        assertThat(log.recent()).hasSizeLessThanOrEqualTo(NodeLog.KEEP);
        assertThat(log.recent().get(0).atMs()).isEqualTo(NodeLog.KEEP + 9);
    }

    private static NodeInfo node(String id, String status) {
        return NodeInfo.newBuilder().setNodeId(id).setStatus(status).setWorkerCount(2).addTypes("echo").build();
    }
}

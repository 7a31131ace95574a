package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobView;
import io.earthling.api.NodeView;
import io.earthling.assistant.Assistant;
import io.earthling.assistant.AssistantSettings;
import io.earthling.manager.Manager;
import io.earthling.manager.ManagerSettings;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.EarthlingGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node whose only worker is busy (behind the manager's back, so its view is stale) refuses the job it is
 * handed, and the manager runs that job on the other node instead.
 */
class RedirectIT {

    @Test
    void a_job_refused_by_a_node_with_no_idle_worker_is_redirected_and_runs_elsewhere() {
        int managerPort = Cluster.freePort();
        int assistantPort = Cluster.freePort();
        String store = "jdbc:h2:file:" + Path.of("target", "it-logs", "redirect", "db-" + System.nanoTime()).toAbsolutePath();
        // Heartbeats every minute: the manager's idea of free workers stays what registration said.
        ManagerSettings ms = new ManagerSettings("127.0.0.1", managerPort, store, null, null, 2, 60_000, 120_000,
                5_000, 1_000, 10_000, 1 << 20, 10_000, 0, 0, 1.0, java.util.Map.of(), java.util.Map.of());
        try (Manager manager = Manager.start(ms);
             Assistant a = Assistant.start(assistant("127.0.0.2", assistantPort, managerPort));
             Assistant b = Assistant.start(assistant("127.0.0.3", assistantPort, managerPort));
             EarthlingClient client = EarthlingClient.connect("127.0.0.1", managerPort)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> client.nodes().stream().filter(n -> n.idle() == 1).count() == 2);

            occupyTheOnlyWorker("127.0.0.2:" + assistantPort, manager.epoch());
            List<Long> ids = client.submitAll(List.of(JobSpec.of("sleep", "{\"ms\": 200}"), JobSpec.of("sleep", "{\"ms\": 200}")));
            List<JobView> done = client.await(ids, Duration.ofSeconds(60));

            assertThat(done).hasSize(2).allSatisfy(j -> {
                assertThat(j.worker()).startsWith("127.0.0.3:");
                assertThat(j.attempts()).isEqualTo(1);
                assertThat(j.state().name()).isEqualTo("SUCCEEDED");
            });
            NodeView busy = client.nodes().stream().filter(n -> n.id().startsWith("127.0.0.2")).findFirst().orElseThrow();
            assertThat(busy.refused()).isGreaterThanOrEqualTo(1);
        }
    }

    private static AssistantSettings assistant(String address, int port, int managerPort) {
        return new AssistantSettings(address, port, List.of(), 1, List.of("127.0.0.1:" + managerPort), 60_000,
                List.of(), List.of(), null, 0); // no prefetch: a busy worker means a refusal
    }

    /** Hands the node a long job directly, as a leader of the same epoch would, without the manager knowing. */
    private static void occupyTheOnlyWorker(String target, long epoch) {
        ManagedChannel ch = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            DeliverResponse r = EarthlingGrpc.newBlockingStub(ch).deliver(DeliverRequest.newBuilder().setEpoch(epoch)
                    .addJobs(Delivery.newBuilder().setJobId(Long.MAX_VALUE).setType("sleep").setAttempt(1)
                            .setPayload(ByteString.copyFromUtf8("{\"ms\": 5000}"))).build());
            assertThat(r.getAcceptedList()).containsExactly(Long.MAX_VALUE);
            assertThat(r.getIdleCount()).isZero();
        } finally {
            ch.shutdownNow();
        }
    }
}

package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.assistant.Assistant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jobs whose payloads and results together outgrow one gRPC message (64 MiB): the manager delivers them and the
 * assistant reports them in several messages, and a client waits for them over several answers, so none fails for the size of its neighbours. On PostgreSQL: 72 MB of
 * payloads and as much of results is more than the embedded H2 is for.
 */
class LargeMessagesIT {
    private static final int JOBS = 80;
    private static final int BLOB = 900_000;

    @Test
    void eighty_jobs_of_900_kb_each_are_delivered_and_reported_in_messages_under_the_cap() throws Exception {
        int port = TestManagers.freePort();
        try (Manager manager = Manager.start(TestManagers.manager(port, TestManagers.postgres()));
             Assistant assistant = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, JOBS));
             EarthlingClient client = EarthlingClient.connect("127.0.0.1", port)) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.nodes().size() == 1);
            client.pause("big", true, true);
            String payload = "{\"blob\": \"" + "x".repeat(BLOB) + "\"}";
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i += 10) {
                List<JobSpec> batch = new ArrayList<>();
                for (int j = 0; j < 10; j++) {
                    batch.add(JobSpec.of("echo", payload).withQueue("big"));
                }
                ids.addAll(client.submitAll(batch));
            }
            // Resumed, the queue's eighty jobs go to the one node's eighty idle workers in one round (about 72 MB).
            client.pause("big", false);
            // One await for all eighty: their results (72 MB) come back over several answers of at most 32 MiB.
            List<JobView> done = client.await(ids, Duration.ofSeconds(120));
            assertThat(done).extracting(JobView::id).containsExactlyElementsOf(ids);
            for (JobView j : done) {
                assertThat(j.state()).as("job %d: %s", j.id(), j.error()).isEqualTo(JobState.SUCCEEDED);
                assertThat(j.attempts()).as("job %d ran once", j.id()).isEqualTo(1);
                assertThat(j.result()).hasSize(payload.length());
            }
        }
    }
}

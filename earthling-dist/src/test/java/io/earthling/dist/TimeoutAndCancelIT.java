package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A job past its timeout and a cancelled running job both stop, even when the handler ignores interrupts (its
 * worker process is killed and restarted), and the worker slots come back.
 */
class TimeoutAndCancelIT {

    @Test
    void a_timed_out_job_and_a_cancelled_job_stop_and_their_worker_slots_come_back() {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("timeout-cancel", url, 1, 2).startManager().startAssistants().awaitNodes(1)) {
            EarthlingClient client = c.client();
            long timedOut = client.submit(JobSpec.of("spin", "{\"ms\": 60000}").withTimeout(Duration.ofSeconds(1))
                    .withMaxAttempts(1));
            long cancelled = client.submit(JobSpec.of("spin", "{\"ms\": 60000}"));
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.get(cancelled).orElseThrow().state() == JobState.RUNNING);
            client.cancel(cancelled);

            List<JobView> done = client.await(List.of(timedOut, cancelled), Duration.ofSeconds(60));
            assertThat(done).hasSize(2);
            assertThat(done.get(0).state()).isEqualTo(JobState.DEAD);
            assertThat(done.get(0).error()).contains("timed out after 1000 ms");
            assertThat(done.get(1).state()).isEqualTo(JobState.CANCELLED);

            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                var n = client.nodes().get(0);
                return n.idle() == 2 && n.restarts() >= 2;
            });
            List<Long> after = client.submitAll(List.of(JobSpec.of("sleep", "{\"ms\": 300}"), JobSpec.of("sleep", "{\"ms\": 300}")));
            assertThat(client.await(after, Duration.ofSeconds(30))).hasSize(2)
                    .allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
        }
    }
}

package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** `earthling logs ID --follow` prints a running job's output while it runs, from a worker process on another node. */
class LogsFollowIT {

    @Test
    void logs_follow_streams_a_running_jobs_output_live_and_ends_with_the_job() throws Exception {
        String url = "jdbc:h2:file:" + Path.of("target", "it-logs", "logs-follow", "db-" + System.nanoTime()).toAbsolutePath();
        try (SeedCluster c = new SeedCluster("logs-follow", url, 1, 1).startManager().startAssistants().awaitNodes(1)) {
            long id = c.client().submit(JobSpec.of("sleep", "{\"ms\": 8000}"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> c.client().get(id).orElseThrow().state() == JobState.RUNNING);

            Process follow = c.cluster.start("follow", "logs", String.valueOf(id), "--follow", "--config", c.config.toString());
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> c.cluster.log("follow").contains("sleeping 8000 ms"));
            assertThat(c.client().get(id).orElseThrow().state()).as("output seen while the job still runs").isEqualTo(JobState.RUNNING);
            assertThat(c.cluster.log("follow")).doesNotContain("woke up");

            assertThat(follow.waitFor(60, TimeUnit.SECONDS)).as("follow ends with the job").isTrue();
            assertThat(follow.exitValue()).isZero();
            assertThat(c.cluster.log("follow")).contains("── attempt 1 ──\nsleeping 8000 ms\nwoke up after 8000 ms\n")
                    .contains("job " + id + " is SUCCEEDED");
            assertThat(c.cli("logs", String.valueOf(id))).contains("sleeping 8000 ms\nwoke up after 8000 ms");
        }
    }
}

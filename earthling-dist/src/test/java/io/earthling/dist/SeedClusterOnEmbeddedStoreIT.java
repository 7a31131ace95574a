package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The same seed-layout cluster on the embedded H2 store, driven by the CLI: its jobs all succeed once, on all nine
 * workers; a job that always fails shows each attempt's error in {@code earthling status} and comes back with
 * {@code earthling retry}.
 */
class SeedClusterOnEmbeddedStoreIT {

    @Test
    void three_thousand_cli_jobs_succeed_once_each_spread_over_nine_worker_processes() {
        String url = "jdbc:h2:file:" + Path.of("target", "it-logs", "seed-h2", "db-" + System.nanoTime()).toAbsolutePath();
        try (SeedCluster c = new SeedCluster("seed-h2", url, 3, 3).startManager().startAssistants().awaitNodes(3)) {
            String out = c.cli("submit", "echo", "--payload", "{\"n\": 1}", "--count", "3000", "--wait");
            assertThat(out).contains("final: {SUCCEEDED=3000}");
            Matcher m = Pattern.compile("ids (\\d+)\\.\\.(\\d+)").matcher(out);
            assertThat(m.find()).isTrue();
            List<Long> ids = LongStream.rangeClosed(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))).boxed().toList();
            List<JobView> jobs = c.client().await(ids, Duration.ofSeconds(30));
            assertThat(jobs).hasSize(3000).allMatch(j -> j.state() == JobState.SUCCEEDED && j.attempts() == 1);
            assertThat(jobs.stream().map(JobView::worker).distinct()).hasSize(9);
        }
    }

    @Test
    void a_dead_job_shows_every_attempts_error_in_status_and_retry_brings_it_back() {
        String url = "jdbc:h2:file:" + Path.of("target", "it-logs", "seed-h2-dead", "db-" + System.nanoTime()).toAbsolutePath();
        try (SeedCluster c = new SeedCluster("seed-h2-dead", url, 1, 1).startManager().startAssistants().awaitNodes(1)) {
            String submitted = c.cli("submit", "fail", "--payload", "{\"message\": \"disk full\"}", "--max-attempts", "3");
            long id = Long.parseLong(submitted.trim().replace("submitted job ", ""));
            assertThat(c.client().await(List.of(id), Duration.ofSeconds(60)).get(0).state()).isEqualTo(JobState.DEAD);

            assertThat(c.cli("status", String.valueOf(id))).contains("state     DEAD", "attempts  3 of 3")
                    .containsPattern("FAILED +attempt 1: disk full").containsPattern("FAILED +attempt 2: disk full")
                    .containsPattern("DEAD +attempt 3: disk full");

            assertThat(c.cli("retry", String.valueOf(id))).contains("retried 1 job: [" + id + "]");
            JobView again = c.client().await(List.of(id), Duration.ofSeconds(60)).get(0);
            assertThat(again.state()).isEqualTo(JobState.DEAD);
            assertThat(c.cli("status", String.valueOf(id))).contains("RETRIED").containsPattern("DEAD +attempt 3: disk full"
                    + "(?s).*RETRIED.*DEAD +attempt 3: disk full");
        }
    }
}

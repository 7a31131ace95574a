package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.examples.DemoCorpus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Split and gather on real processes and PostgreSQL: exact results, also when workers are killed mid-split. */
class SplitOnClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_word_count_split_into_a_thousand_children_gives_exactly_the_single_process_counts() throws Exception {
        try (SeedCluster c = new SeedCluster("split-wordcount", TestPostgres.freshDatabase(), 2, 2)
                .startManager().startAssistants().awaitNodes(2)) {
            long id = c.client().submit(JobSpec.of("wordcount-split", "{\"docs\":1000,\"seed\":11}"));

            JobView done = c.client().await(List.of(id), Duration.ofMinutes(3)).get(0);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            Map<String, Long> counted = JSON.readValue(done.result(),
                    JSON.getTypeFactory().constructMapType(TreeMap.class, String.class, Long.class));
            assertThat(counted).isEqualTo(DemoCorpus.countLocally(DemoCorpus.documents(1000, 11)));
        }
    }

    @Test
    void a_pipeline_from_the_config_runs_stage_after_stage_and_its_status_shows_each_stage() throws Exception {
        String pipelines = "pipelines:\n  sums: { stages: [fanout, double-sum] }\n";
        try (SeedCluster c = new SeedCluster("split-pipeline", TestPostgres.freshDatabase(), 1, 2, pipelines)
                .startManager().startAssistants().awaitNodes(1)) {
            String out = c.cli("pipeline", "run", "sums", "--input", "{\"width\": 10}", "--wait");

            assertThat(out).contains("of pipeline sums: fanout -> double-sum").contains("{\"sum\":110}");
            long run = Long.parseLong(out.lines().findFirst().orElseThrow().split(" ")[1]);
            assertThat(c.cli("pipeline", "status", String.valueOf(run)))
                    .containsPattern("1 fanout +SUCCEEDED +10/10 children final")
                    .containsPattern("2 double-sum +SUCCEEDED");
        }
    }

    @Test
    void killing_workers_during_a_split_still_gives_the_exact_result_and_one_gather() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("split-worker-kills", url, 3, 3).startManager().startAssistants()
                .awaitNodes(3); Connection db = DriverManager.getConnection(url)) {
            // 600 children of 150 ms on 9 workers: about 10 s of work, so the kills land while children run.
            long id = c.client().submit(JobSpec.of("fanout", "{\"width\":600,\"sleepMs\":150}"));
            int kills = 0;
            while (kills < 6) {
                Thread.sleep(1_200);
                List<Workers.Worker> busy = new ArrayList<>();
                for (int i = 0; i < c.assistants; i++) {
                    // Only serving workers: killing one that is still starting is a crash loop, not a lost job.
                    Workers.of(c.cluster.process("assistant-" + (i + 2))).stream()
                            .filter(w -> Workers.listening(w.address(), w.port())).forEach(busy::add);
                }
                if (!busy.isEmpty()) {
                    busy.get(kills % busy.size()).handle().destroyForcibly();
                    kills++;
                }
            }

            List<JobView> finished = c.client().await(List.of(id), Duration.ofMinutes(3));

            assertThat(finished).as("the split's end; jobs by state: %s",
                    Db.rows(db, "SELECT state || ' ' || gather_job, count(*) FROM jobs GROUP BY 1")).hasSize(1);
            JobView done = finished.get(0);
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(JSON.readTree(done.result()).path("sum").asLong()).isEqualTo(600L * 601 / 2);
            assertThat(JSON.readTree(done.result()).path("children").asInt()).isEqualTo(600);
            assertThat(Db.count(db, "SELECT count(*) FROM job_events WHERE kind = 'FAILED' AND detail LIKE '%died%'"))
                    .as("children hit by a kill ran again").isPositive();
            assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE gather_job")).as("gather jobs").isEqualTo(1);
            assertThat(Db.count(db, "SELECT count(*) FROM job_events WHERE kind = 'GATHERING'")).isEqualTo(1);
        }
    }
}

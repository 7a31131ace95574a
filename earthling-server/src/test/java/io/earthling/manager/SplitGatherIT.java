package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.examples.DemoCorpus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Function and action jobs, and split to gather, through a real manager, assistant and gRPC client (H2). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SplitGatherIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    OneNode node;
    EarthlingClient client;

    @BeforeEach
    void start() {
        node = OneNode.start(dir, s -> s.withMaxResultBytes(64 * 1024));
        client = node.client;
    }

    @AfterEach
    void stop() {
        node.close();
    }

    JobView run(JobSpec spec, Duration timeout) {
        long id = client.submit(spec);
        List<JobView> done = client.await(List.of(id), timeout);
        assertThat(done).as("job %d final within %s", id, timeout).hasSize(1);
        return done.get(0);
    }

    @Test
    void a_function_jobs_result_is_kept_and_an_action_jobs_result_is_dropped() {
        JobView function = run(JobSpec.of("echo", "{\"n\":1}"), Duration.ofSeconds(30));
        JobView action = run(JobSpec.of("mark", "{\"file\":\"" + dir.resolve("marks") + "\"}"), Duration.ofSeconds(30));

        assertThat(function.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(function.result()).isEqualTo("{\"n\":1}");
        assertThat(action.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(action.result()).isNull();
    }

    @Test
    void a_result_over_the_cap_fails_the_job_at_once_with_an_error_naming_the_limit() {
        String big = "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}";

        JobView job = run(JobSpec.of("echo", big), Duration.ofSeconds(30));

        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.error()).contains("over the limit of 65536 bytes (limits.maxResultBytes)");
        assertThat(job.result()).isNull();
    }

    @Test
    void a_split_runs_its_children_and_ends_with_the_gathers_result_over_their_results_in_order() throws Exception {
        JobView parent = run(JobSpec.of("fanout", "{\"width\":100}"), Duration.ofSeconds(60));

        assertThat(parent.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(JSON.readTree(parent.result()).path("sum").asLong()).isEqualTo(5050);
        assertThat(JSON.readTree(parent.result()).path("children").asInt()).isEqualTo(100);
        assertThat(client.events(parent.id())).extracting(e -> e.kind())
                .containsSubsequence("WAITING", "GATHERING", "SUCCEEDED");
    }

    @Test
    void nested_splits_gather_level_by_level() throws Exception {
        JobView parent = run(JobSpec.of("fanout", "{\"width\":10,\"depth\":2}"), Duration.ofSeconds(60));

        assertThat(parent.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(JSON.readTree(parent.result()).path("sum").asLong()).isEqualTo(10 * 55);
    }

    @Test
    void under_fail_fast_a_dead_child_makes_the_parent_dead_with_the_childs_error() {
        JobView parent = run(JobSpec.of("fanout", "{\"width\":20,\"failIndex\":3}"), Duration.ofSeconds(60));

        assertThat(parent.state()).isEqualTo(JobState.DEAD);
        assertThat(parent.error()).contains("ended DEAD").contains("leaf 3 fails on purpose");
    }

    @Test
    void gather_with_errors_gathers_anyway_with_nulls_for_the_failed_children() throws Exception {
        JobView parent = run(JobSpec.of("fanout", "{\"width\":10,\"failIndex\":3,\"policy\":\"GATHER_WITH_ERRORS\"}"),
                Duration.ofSeconds(60));

        assertThat(parent.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(JSON.readTree(parent.result()).path("sum").asLong()).isEqualTo(55 - 4);
        assertThat(JSON.readTree(parent.result()).path("failed").asInt()).isEqualTo(1);
    }

    @Test
    void a_word_count_split_into_a_thousand_children_equals_a_single_process_count() throws Exception {
        JobView parent = run(JobSpec.of("wordcount-split", "{\"docs\":1000,\"seed\":5}"), Duration.ofMinutes(3));

        assertThat(parent.state()).isEqualTo(JobState.SUCCEEDED);
        Map<String, Long> counted = JSON.readValue(parent.result(),
                JSON.getTypeFactory().constructMapType(TreeMap.class, String.class, Long.class));
        assertThat(counted).isEqualTo(DemoCorpus.countLocally(DemoCorpus.documents(1000, 5)));
    }

    @Test
    void a_split_into_ten_thousand_children_completes() throws Exception {
        JobView parent = run(JobSpec.of("fanout", "{\"width\":10000}"), Duration.ofMinutes(5));

        assertThat(parent.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(JSON.readTree(parent.result()).path("sum").asLong()).isEqualTo(10_000L * 10_001 / 2);
    }
}

package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.PipelineView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines: stages in order, each fed the previous one's output, a fanning-out stage, per-stage progress. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PipelineIT {
    @TempDir
    Path dir;

    OneNode node;
    EarthlingClient client;

    @BeforeEach
    void start() {
        node = OneNode.start(dir);
        client = node.client;
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void each_stage_gets_the_previous_stages_output_and_the_status_shows_every_stage() {
        long run = client.runPipeline("sums", List.of("fanout", "double-sum", "double-sum"), "{\"width\":10}");

        JobView done = client.await(List.of(run), Duration.ofSeconds(60)).get(0);

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result()).isEqualTo("{\"sum\":220}");
        PipelineView v = client.pipelineStatus(run);
        assertThat(v.pipeline()).isEqualTo("sums");
        assertThat(v.stages()).extracting(PipelineView.Stage::type).containsExactly("fanout", "double-sum", "double-sum");
        assertThat(v.stages()).extracting(PipelineView.Stage::state).containsOnly("SUCCEEDED");
        assertThat(v.stages().get(0).children()).as("the fanning-out stage's children").isEqualTo(10);
        assertThat(v.stages().get(0).childrenFinal()).isEqualTo(10);
    }

    @Test
    void a_one_stage_pipeline_ends_with_its_stages_output() {
        long run = client.runPipeline("one", List.of("fanout"), "{\"width\":4}");

        JobView done = client.await(List.of(run), Duration.ofSeconds(60)).get(0);

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result()).contains("\"sum\":10");
    }

    @Test
    void a_cancelled_run_cancels_every_job_below_it_and_nothing_more_runs() {
        long run = client.runPipeline("slow", List.of("fanout", "double-sum"), "{\"width\":200,\"sleepMs\":100}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.pipelineStatus(run).stages().get(0).childrenFinal() > 2);

        PipelineView cancelled = client.cancelPipeline(run);

        assertThat(cancelled.run().state()).isEqualTo(JobState.CANCELLED);
        assertThat(client.await(List.of(run), Duration.ofSeconds(5))).singleElement()
                .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.CANCELLED));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PipelineView v = client.pipelineStatus(run);
            assertThat(v.stages()).extracting(PipelineView.Stage::state).containsExactly("CANCELLED", "NOT_STARTED");
            assertThat(v.stages().get(0).childrenFinal()).isEqualTo(200);
        });
        assertThat(client.list(JobState.PENDING, 1000)).isEmpty();
    }

    @Test
    void a_runs_inner_jobs_are_hidden_from_the_list_and_cannot_be_cancelled_on_their_own() {
        long run = client.runPipeline("slow", List.of("fanout", "double-sum"), "{\"width\":50,\"sleepMs\":100}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.pipelineStatus(run).stages().get(0).jobId() > 0);

        List<JobView> all = client.list(null, 1000, true);
        JobView inner = all.stream().filter(j -> j.type().equals("pipeline") && j.id() != run).findFirst().orElseThrow();
        assertThat(client.list(null, 1000)).extracting(JobView::id).contains(run).doesNotContain(inner.id());
        assertThatThrownBy(() -> client.cancel(inner.id())).hasMessageContaining("pipeline run " + run)
                .hasMessageContaining("earthling pipeline cancel " + run);
        long stage = client.pipelineStatus(run).stages().get(0).jobId();
        assertThatThrownBy(() -> client.cancel(stage)).as("a stage too: cancelling it would fail the run")
                .hasMessageContaining("pipeline run " + run);

        client.cancelPipeline(run);
        assertThatThrownBy(() -> client.cancelPipeline(run)).as("a run that ended says so")
                .hasMessageContaining("already ended CANCELLED");
    }

    @Test
    void a_failed_stage_fails_the_run_and_later_stages_never_start() {
        long run = client.runPipeline("bad", List.of("fanout", "double-sum"), "{\"width\":5,\"failIndex\":2}");

        JobView done = client.await(List.of(run), Duration.ofSeconds(60)).get(0);

        assertThat(done.state()).isEqualTo(JobState.DEAD);
        assertThat(done.error()).contains("leaf 2 fails on purpose");
        PipelineView v = client.pipelineStatus(run);
        assertThat(v.stages()).extracting(PipelineView.Stage::state).containsExactly("DEAD", "NOT_STARTED");
    }
}

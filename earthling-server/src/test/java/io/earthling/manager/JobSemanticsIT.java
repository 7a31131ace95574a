package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobEventView;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent submission and retrying dead jobs, through the real gRPC client against a running manager. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JobSemanticsIT {
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
    void a_hundred_concurrent_submits_with_one_key_create_exactly_one_job() throws Exception {
        JobSpec spec = JobSpec.of("echo", "{\"order\": 42}").withIdempotencyKey("order-42");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Long>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                calls.add(pool.submit(() -> client.submit(spec)));
            }
            Set<Long> ids = new HashSet<>();
            for (Future<Long> f : calls) {
                ids.add(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(ids).hasSize(1);
            long id = ids.iterator().next();
            assertThat(client.list(null, 1000)).extracting(JobView::id).containsExactly(id);
            assertThat(client.await(List.of(id), Duration.ofSeconds(30))).singleElement()
                    .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED))
                    .satisfies(j -> assertThat(j.attempts()).as("ran once").isEqualTo(1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_same_key_with_another_payload_or_type_is_refused_naming_the_key() {
        long id = client.submit(JobSpec.of("echo", "{\"n\": 1}").withIdempotencyKey("k1"));

        assertThatThrownBy(() -> client.submit(JobSpec.of("echo", "{\"n\": 2}").withIdempotencyKey("k1")))
                .isInstanceOf(EarthlingException.class)
                .hasMessage("idempotencyKey: \"k1\" in queue \"default\" already belongs to job " + id
                        + " with a different payload");
        assertThatThrownBy(() -> client.submit(JobSpec.of("noop", "{\"n\": 1}").withIdempotencyKey("k1")))
                .hasMessageContaining("with a different type (echo, not noop)");
        assertThat(client.submit(JobSpec.of("echo", "{\"n\": 2}").withIdempotencyKey("k1").withQueue("other")))
                .as("keys are per queue").isNotEqualTo(id);
        assertThat(client.list(null, 100)).hasSize(2);
    }

    @Test
    void a_job_that_always_fails_dies_after_three_attempts_keeps_each_error_and_runs_again_when_retried() {
        long id = client.submit(JobSpec.of("fail", "{\"message\": \"disk full\"}").withMaxAttempts(3));
        JobView dead = client.await(List.of(id), Duration.ofSeconds(60)).get(0);
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(errors(id)).containsExactly("attempt 1: disk full", "attempt 2: disk full", "attempt 3: disk full");

        assertThat(client.retry(List.of(id))).containsExactly(id);

        await().atMost(Duration.ofSeconds(60)).until(() -> errors(id).size() == 6);
        JobView again = client.await(List.of(id), Duration.ofSeconds(60)).get(0);
        assertThat(again.state()).isEqualTo(JobState.DEAD);
        assertThat(again.attempts()).as("a fresh budget of three").isEqualTo(3);
        assertThat(client.events(id)).extracting(JobEventView::kind).contains("RETRIED");
    }

    @Test
    void retry_refuses_a_job_that_is_not_dead_and_retries_nothing() {
        long ok = client.submit(JobSpec.of("echo", "{}"));
        client.await(List.of(ok), Duration.ofSeconds(30));

        assertThatThrownBy(() -> client.retry(List.of(ok))).hasMessageContaining("job " + ok + " is SUCCEEDED")
                .hasMessageContaining("only DEAD jobs can be retried");
        assertThatThrownBy(() -> client.retry(List.of(999_999L))).hasMessageContaining("no job with id 999999");
    }

    @Test
    void retry_by_queue_and_type_brings_back_only_those_dead_jobs() {
        List<Long> failing = client.submitAll(List.of(JobSpec.of("fail", "{}").withMaxAttempts(1).withQueue("q"),
                JobSpec.of("fail", "{}").withMaxAttempts(1).withQueue("q"),
                JobSpec.of("fail", "{}").withMaxAttempts(1).withQueue("elsewhere")));
        client.await(failing, Duration.ofSeconds(30));

        List<Long> retried = client.retryDead("q", "fail");

        assertThat(retried).containsExactlyInAnyOrder(failing.get(0), failing.get(1));
        assertThat(client.get(failing.get(2)).orElseThrow().state()).isEqualTo(JobState.DEAD);
    }

    @Test
    void a_delayed_job_run_now_runs_at_once_and_its_log_says_so() {
        long id = client.submit(JobSpec.of("echo", "{}").withDelay(Duration.ofHours(1)));
        assertThat(client.get(id).orElseThrow().waiting().reason()).isEqualTo("DELAYED");

        JobView due = client.runNow(id);

        assertThat(due.id()).isEqualTo(id);
        JobView done = client.await(List.of(id), Duration.ofSeconds(30)).get(0);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(client.events(id)).extracting(JobEventView::kind).contains("RUN_NOW");
    }

    @Test
    void run_now_refuses_a_job_that_is_final_or_due_already_and_an_unknown_id() {
        long ok = client.submit(JobSpec.of("echo", "{}"));
        client.await(List.of(ok), Duration.ofSeconds(30));

        assertThatThrownBy(() -> client.runNow(ok)).isInstanceOf(EarthlingException.class)
                .hasMessageContaining("job " + ok + " is SUCCEEDED; only a delayed PENDING job can be run now");
        assertThatThrownBy(() -> client.runNow(999_999L)).hasMessageContaining("no job with id 999999");
        client.pause("held", true, true);
        long due = client.submit(JobSpec.of("echo", "{}").withQueue("held"));
        assertThatThrownBy(() -> client.runNow(due)).hasMessageContaining("job " + due + " is not delayed");
    }

    @Test
    void delete_by_queue_removes_its_dead_jobs_with_their_events_and_nothing_else() {
        List<Long> failing = client.submitAll(List.of(JobSpec.of("fail", "{}").withMaxAttempts(1).withQueue("dq"),
                JobSpec.of("fail", "{}").withMaxAttempts(1).withQueue("dq"),
                JobSpec.of("fail", "{}").withMaxAttempts(1).withQueue("other")));
        long ok = client.submit(JobSpec.of("echo", "{}").withQueue("dq"));
        client.await(failing, Duration.ofSeconds(30));
        client.await(List.of(ok), Duration.ofSeconds(30));

        List<Long> deleted = client.deleteDead("dq", null);

        assertThat(deleted).containsExactlyInAnyOrder(failing.get(0), failing.get(1));
        assertThat(client.get(failing.get(0))).isEmpty();
        assertThat(client.get(failing.get(2)).orElseThrow().state()).isEqualTo(JobState.DEAD);
        assertThat(client.get(ok).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(client.deleteDead("dq", null)).isEmpty();
    }

    @Test
    void delete_by_ids_refuses_a_job_that_is_not_final_and_deletes_nothing() {
        long ok = client.submit(JobSpec.of("echo", "{}"));
        client.await(List.of(ok), Duration.ofSeconds(30));
        long later = client.submit(JobSpec.of("echo", "{}").withDelay(Duration.ofHours(1)));

        assertThatThrownBy(() -> client.delete(List.of(ok, later)))
                .hasMessageContaining("job " + later + " is PENDING; only finished jobs")
                .hasMessageContaining("nothing deleted");
        assertThat(client.get(ok)).isPresent();

        assertThat(client.delete(List.of(ok))).containsExactly(ok);
        assertThat(client.get(ok)).isEmpty();
    }

    @Test
    void purge_deletes_what_finished_longer_ago_than_asked_and_a_deleted_job_is_said_to_be_gone() {
        long ok = client.submit(JobSpec.of("echo", "{}").withQueue("pq"));
        long dead = client.submit(JobSpec.of("fail", "{}").withMaxAttempts(1).withQueue("pq"));
        client.await(List.of(ok, dead), Duration.ofSeconds(30));
        long later = client.submit(JobSpec.of("echo", "{}").withQueue("pq").withDelay(Duration.ofHours(1)));

        assertThat(client.purge(Duration.ofHours(1), java.util.Set.of(), "pq")).as("nothing ended an hour ago").isZero();
        assertThat(client.purge(Duration.ofMillis(1), java.util.Set.of(JobState.DEAD), "pq")).isEqualTo(1);
        assertThat(client.get(dead)).isEmpty();
        assertThat(client.get(ok)).isPresent();
        assertThat(client.purge(Duration.ofMillis(1), java.util.Set.of(), null)).isGreaterThanOrEqualTo(1);

        assertThat(client.get(ok)).isEmpty();
        assertThat(client.get(later)).as("not finished").isPresent();
        assertThatThrownBy(() -> client.runNow(ok)).hasMessageContaining("job " + ok + " no longer exists: finished"
                + " jobs are deleted after their retention");
        assertThatThrownBy(() -> client.purge(Duration.ofMillis(1), java.util.Set.of(JobState.RUNNING), null))
                .hasMessageContaining("\"RUNNING\" is not a final state");
    }

    @Test
    void a_wait_for_more_ids_than_one_call_takes_returns_them_all() {
        List<JobSpec> specs = java.util.stream.IntStream.range(0, 2_500).mapToObj(i -> JobSpec.of("echo", "{}")).toList();
        List<Long> ids = client.submitAll(specs);

        List<JobView> done = client.await(ids, Duration.ofSeconds(120));

        assertThat(done).extracting(JobView::id).as("limits.maxWaitIds is 1,000 a call").containsExactlyElementsOf(ids);
    }

    @Test
    void list_searches_payloads() {
        long ada = client.submit(JobSpec.of("echo", "{\"to\": \"ada@example.com\"}"));
        client.submit(JobSpec.of("echo", "{\"to\": \"bob@example.com\"}"));

        assertThat(client.list(null, null, "ada@", 10, false)).extracting(JobView::id).containsExactly(ada);
        assertThat(client.list(null, null, "carol", 10, false)).isEmpty();
    }

    private List<String> errors(long id) {
        return client.events(id).stream().filter(e -> e.kind().equals("FAILED") || e.kind().equals("DEAD"))
                .map(JobEventView::detail).toList();
    }
}

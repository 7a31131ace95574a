package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.QueueView;
import io.earthling.assistant.Assistant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog larger than the leader's ready window (here 40 jobs, at most 10 of one queue) waits in the database by
 * id and is paged in as the window empties: every job runs once, a paused queue's backlog does not keep another
 * queue's jobs out, a cancelled job of the backlog never runs, and a new leader takes over a backlog the same way.
 */
class ReadyWindowIT {
    private static final InputLimits SMALL_WINDOW = InputLimits.DEFAULT.withReadyWindow(40);

    @TempDir
    Path dir;

    private Manager manager(int port) {
        return Manager.start(TestManagers.manager(port, TestManagers.h2(dir)).withInputLimits(SMALL_WINDOW));
    }

    private static List<Long> submit(EarthlingClient client, String queue, int n) {
        List<JobSpec> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(JobSpec.of("echo", "{\"i\": " + i + "}").withQueue(queue));
        }
        return client.submitAll(jobs);
    }

    @Test
    void a_paused_backlog_ten_times_the_window_keeps_no_other_queue_out_and_runs_once_resumed() {
        int port = TestManagers.freePort();
        try (Manager m = manager(port);
             Assistant a = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, 2));
             EarthlingClient client = EarthlingClient.connect("127.0.0.1", port)) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.nodes().size() == 1);
            client.pause("bulk", true, true);
            List<Long> bulk = submit(client, "bulk", 400);
            List<Long> other = submit(client, "other", 30);
            assertThat(client.await(other, Duration.ofSeconds(60))).as("the other queue runs while bulk waits")
                    .hasSize(30).allMatch(j -> j.state() == JobState.SUCCEEDED);
            QueueView q = client.queues().stream().filter(v -> v.name().equals("bulk")).findFirst().orElseThrow();
            assertThat(q.ready() + q.delayed()).as("the backlog is counted with the queue").isEqualTo(400);

            long last = bulk.get(bulk.size() - 1);
            assertThat(client.cancel(last).state()).isEqualTo(JobState.CANCELLED);
            client.pause("bulk", false);

            List<JobView> done = client.await(bulk, Duration.ofSeconds(120));
            Map<JobState, Long> states = done.stream().collect(Collectors.groupingBy(JobView::state,
                    Collectors.counting()));
            assertThat(states).containsEntry(JobState.SUCCEEDED, 399L).containsEntry(JobState.CANCELLED, 1L);
            assertThat(done).allMatch(j -> j.attempts() <= 1, "ran at most once");
            assertThat(client.get(last).orElseThrow().attempts()).as("the cancelled one never ran").isZero();
        }
    }

    @Test
    void a_new_leader_holds_a_window_of_a_backlog_and_pages_in_the_rest() {
        int port = TestManagers.freePort();
        List<Long> bulk;
        try (Manager m = manager(port);
             Assistant a = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, 2));
             EarthlingClient client = EarthlingClient.connect("127.0.0.1", port)) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.nodes().size() == 1);
            client.pause("bulk", true, true);
            bulk = submit(client, "bulk", 300);
        }
        int again = TestManagers.freePort();
        try (Manager m = manager(again);
             Assistant a = Assistant.start(TestManagers.assistant(TestManagers.freePort(), again, 2));
             EarthlingClient client = EarthlingClient.connect("127.0.0.1", again)) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.nodes().size() == 1);
            client.pause("bulk", false);
            List<JobView> done = client.await(bulk, Duration.ofSeconds(120));
            assertThat(done).hasSize(300).allMatch(j -> j.state() == JobState.SUCCEEDED && j.attempts() == 1);
        }
    }
}

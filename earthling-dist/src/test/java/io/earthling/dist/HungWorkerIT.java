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
 * A worker process that stops answering (SIGSTOP) is killed by its assistant's watchdog and restarted; the job
 * it held counts one failed attempt and succeeds on another worker. The times go to report.txt.
 */
class HungWorkerIT {

    @Test
    void a_worker_that_stops_answering_is_killed_restarted_and_its_job_runs_elsewhere() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("hung-worker", url, 1, 2).startManager().startAssistants().awaitNodes(1)) {
            EarthlingClient client = c.client();
            long id = client.submit(JobSpec.of("sleep", "{\"ms\": 3000}"));
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.get(id).orElseThrow().state() == JobState.RUNNING);
            String worker = client.get(id).orElseThrow().worker();
            Workers.Worker w = Workers.of(c.cluster.process("assistant-2")).stream()
                    .filter(x -> x.name().equals(worker)).findFirst().orElseThrow();

            long stoppedAt = System.nanoTime();
            assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(w.handle().pid())).start().waitFor()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !w.handle().isAlive());
            long killedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Workers.listening(w.address(), w.port()));
            long backMs = (System.nanoTime() - stoppedAt) / 1_000_000;

            JobView done = client.await(List.of(id), Duration.ofSeconds(30)).get(0);
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(c.cluster.log("assistant-2")).contains("stopped answering");
            String report = String.format("SIGSTOP of a worker process running a 3 s job%n"
                    + "stopped -> killed by the watchdog: %d ms; -> listening again: %d ms%n"
                    + "the job: %s after %d attempts%n", killedMs, backMs, done.state(), done.attempts());
            c.cluster.write("report.txt", report);
            System.out.print(report);
        }
    }
}

package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.LogChunkView;
import io.earthling.assistant.Assistant;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attempt logs are kept centrally, served over gRPC and HTTP, and followed until the job is final. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JobLogsIT {
    @TempDir
    Path dir;

    @Test
    void a_follower_gets_a_running_jobs_output_live_and_each_attempts_log_is_kept() throws Exception {
        int port = TestManagers.freePort();
        try (Manager m = Manager.start(TestManagers.manager(port, TestManagers.h2(dir)), List.of(), Clock.systemUTC(),
                new HttpSettings("127.0.0.1", TestManagers.freePort(), null, 1 << 20));
             Assistant a = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, 1));
             EarthlingClient client = EarthlingClient.connect("127.0.0.1", port)) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.nodes().size() == 1);
            long id = client.submit(JobSpec.of("sleep", "{\"ms\": 3000}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> client.get(id).orElseThrow().state().name().equals("RUNNING"));

            HttpCalls http = new HttpCalls(m.httpPort(), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + id + "/logs"))
                    .path("running").path("text").asText(), t -> t.equals("sleeping 3000 ms\n"));

            List<LogChunkView> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<String> followed = CompletableFuture.supplyAsync(() -> client.followLogs(id, seen::add));
            assertThat(followed.get(30, TimeUnit.SECONDS)).isEqualTo("SUCCEEDED");
            assertThat(seen).as("live output first, while the job runs; then the rest when the attempt ends").hasSize(3);
            assertThat(seen.get(0)).isEqualTo(new LogChunkView(1, "sleeping 3000 ms\n", false, "RUNNING", false));
            assertThat(seen.get(1)).isEqualTo(new LogChunkView(1, "woke up after 3000 ms\n", true, "SUCCEEDED", false));
            assertThat(seen.get(2).end()).isTrue();

            assertThat(client.logs(id)).extracting(LogChunkView::text).containsExactly("sleeping 3000 ms\nwoke up after 3000 ms\n");
            var logs = HttpCalls.json(http.get("/api/jobs/" + id + "/logs"));
            assertThat(logs.get("attempts").get(0).get("text").asText()).startsWith("sleeping 3000 ms");
            assertThat(logs.get("attempts").get(0).get("truncated").asBoolean()).isFalse();
        }
    }
}

package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.assistant.Assistant;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after real jobs ran: valid exposition text (strictly parsed) with the jobs, latencies, queues, nodes, DB and JVM. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MetricsIT {
    @TempDir
    Path dir;

    @Test
    void metrics_parse_as_prometheus_text_and_count_what_happened() {
        int port = TestManagers.freePort();
        try (Manager m = Manager.start(TestManagers.manager(port, TestManagers.h2(dir)), List.of(), Clock.systemUTC(),
                new HttpSettings("127.0.0.1", TestManagers.freePort(), null, 1 << 20));
             Assistant a = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, 2))) {
            HttpCalls http = new HttpCalls(m.httpPort(), null);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> HttpCalls.json(http.get("/api/nodes")).get("nodes").size() == 1);
            assertThat(http.post("/api/jobs/batch", "{\"jobs\": [{\"type\": \"echo\", \"queue\": \"m\"},"
                    + "{\"type\": \"echo\", \"queue\": \"m\"}, {\"type\": \"echo\", \"queue\": \"m\"}]}").statusCode()).isEqualTo(201);
            long failing = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"fail\", \"queue\": \"m\", \"maxAttempts\": 2}"))
                    .get("id").asLong();
            await().atMost(Duration.ofSeconds(60)).until(() -> HttpCalls.json(http.get("/api/jobs/" + failing)).get("state")
                    .asText(), s -> s.equals("DEAD"));
            await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs?queue=m&state=SUCCEEDED"))
                    .get("jobs").size() == 3);

            HttpResponse<String> r = http.get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            PrometheusText p = PrometheusText.parse(r.body());
            assertThat(p.familiesWithoutHelp()).as("families without HELP text (promtool check metrics flags them)").isEmpty();

            assertThat(p.value("earthling_jobs_submitted_total", Map.of("queue", "m", "type", "echo"))).isEqualTo(3);
            assertThat(p.value("earthling_jobs_submitted_total", Map.of("queue", "m", "type", "fail"))).isEqualTo(1);
            assertThat(p.value("earthling_jobs_succeeded_total", Map.of("queue", "m", "type", "echo"))).isEqualTo(3);
            assertThat(p.value("earthling_jobs_failed_total", Map.of("queue", "m", "type", "fail"))).as("retried attempt").isEqualTo(1);
            assertThat(p.value("earthling_jobs_dead_total", Map.of("queue", "m", "type", "fail"))).isEqualTo(1);
            assertThat(p.types).containsEntry("earthling_dispatch_latency_seconds", "histogram")
                    .containsEntry("earthling_pickup_latency_seconds", "histogram")
                    .containsEntry("earthling_db_commit_latency_seconds", "histogram")
                    .containsEntry("earthling_db_batch_size_rows", "histogram");
            assertThat(p.value("earthling_dispatch_latency_seconds_count", Map.of())).isGreaterThanOrEqualTo(5);
            assertThat(p.value("earthling_pickup_latency_seconds_count", Map.of())).isGreaterThanOrEqualTo(5);
            assertThat(p.value("earthling_db_batch_size_rows_count", Map.of())).isPositive();
            assertThat(p.value("earthling_db_commit_latency_seconds_count", Map.of())).isPositive();
            assertThat(p.value("earthling_queue_jobs", Map.of("queue", "m", "state", "ready"))).isZero();
            assertThat(p.value("earthling_queue_oldest_ready_age_seconds", Map.of("queue", "m"))).isZero();
            assertThat(p.value("earthling_queue_paused", Map.of("queue", "m"))).isZero();
            assertThat(p.value("earthling_nodes", Map.of("status", "ONLINE"))).isEqualTo(1);
            assertThat(p.value("earthling_worker_slots", Map.of("state", "idle"))
                    + p.value("earthling_worker_slots", Map.of("state", "busy"))).isEqualTo(2);
            assertThat(p.types).containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage");
        }
    }
}

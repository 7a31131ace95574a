package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.assistant.Assistant;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API of a running manager with one assistant, over real HTTP. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpApiIT {
    @TempDir
    Path dir;

    Manager manager;
    Assistant assistant;
    HttpCalls http;

    @BeforeEach
    void start() {
        int port = TestManagers.freePort();
        manager = Manager.start(TestManagers.manager(port, TestManagers.h2(dir)), List.of(), Clock.systemUTC(),
                new HttpSettings("127.0.0.1", TestManagers.freePort(), null, 64 * 1024));
        assistant = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, 2));
        http = new HttpCalls(manager.httpPort(), null);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> HttpCalls.json(http.get("/api/nodes")).get("nodes").size() == 1);
    }

    @AfterEach
    void stop() {
        assistant.close();
        manager.close();
    }

    @Test
    void a_submitted_job_runs_and_is_found_by_id_by_filter_and_in_its_events() {
        HttpResponse<String> created = http.post("/api/jobs", "{\"type\": \"echo\", \"payload\": {\"n\": 7}, \"queue\": \"q1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = HttpCalls.json(created).get("id").asLong();

        await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + id)).get("state").asText(),
                s -> s.equals("SUCCEEDED"));
        JsonNode job = HttpCalls.json(http.get("/api/jobs/" + id));
        assertThat(job.get("payload").get("n").asInt()).isEqualTo(7);
        assertThat(job.get("result").get("n").asInt()).as("echo returns its payload").isEqualTo(7);
        assertThat(job.get("queue").asText()).isEqualTo("q1");
        assertThat(HttpCalls.json(http.get("/api/jobs?queue=q1&state=SUCCEEDED&type=echo")).get("jobs"))
                .extracting(j -> j.get("id").asLong()).containsExactly(id);
        assertThat(HttpCalls.json(http.get("/api/jobs?queue=q1&type=noop")).get("jobs")).isEmpty();
        assertThat(HttpCalls.json(http.get("/api/jobs/" + id + "/events")).get("events"))
                .extracting(e -> e.get("kind").asText()).contains("SUCCEEDED");
    }

    @Test
    void a_batch_is_stored_in_order_and_pages_go_backwards_from_the_newest() {
        StringBuilder body = new StringBuilder("{\"jobs\": [");
        for (int i = 0; i < 5; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\": \"noop\", \"queue\": \"pages\"}");
        }
        HttpResponse<String> created = http.post("/api/jobs/batch", body.append("]}").toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        List<Long> ids = HttpCalls.JSON.convertValue(HttpCalls.json(created).get("ids"),
                HttpCalls.JSON.getTypeFactory().constructCollectionType(List.class, Long.class));
        assertThat(ids).hasSize(5).isSorted();

        JsonNode first = HttpCalls.json(http.get("/api/jobs?queue=pages&limit=3"));
        assertThat(first.get("jobs")).extracting(j -> j.get("id").asLong()).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        JsonNode second = HttpCalls.json(http.get("/api/jobs?queue=pages&limit=3&before=" + first.get("nextBefore").asLong()));
        assertThat(second.get("jobs")).extracting(j -> j.get("id").asLong()).containsExactly(ids.get(1), ids.get(0));
        assertThat(second.has("nextBefore")).isFalse();
    }

    @Test
    void bad_input_is_a_problem_naming_the_field_and_nothing_is_stored() {
        HttpResponse<String> r = http.post("/api/jobs/batch",
                "{\"jobs\": [{\"type\": \"noop\", \"queue\": \"bad\"}, {\"type\": \"noop\", \"priority\": \"high\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(HttpCalls.json(r).get("detail").asText()).isEqualTo("jobs[1].priority: expected a whole number in "
                + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE + ", got \"high\"");
        assertThat(HttpCalls.json(http.get("/api/jobs?queue=bad")).get("jobs")).isEmpty();

        assertThat(HttpCalls.json(http.post("/api/jobs", "{\"type\": \"noop\", \"colour\": 1}")).get("detail").asText())
                .startsWith("colour: unknown field");
        assertThat(HttpCalls.json(http.post("/api/jobs", "{\"payload\": {}}")).get("detail").asText()).isEqualTo("type: required");
        // Until the new leader settled (its nodes had a reconcile grace to register) an unknown type is 503: retry later.
        assertThat(http.post("/api/jobs", "{\"type\": \"no-such-type\"}").statusCode()).isIn(400, 503);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> http.post("/api/jobs", "{\"type\": \"no-such-type\"}").statusCode() == 400);
        assertThat(http.post("/api/jobs", "not json").statusCode()).isEqualTo(400);
        assertThat(http.get("/api/jobs/abc").statusCode()).isEqualTo(400);
        assertThat(HttpCalls.json(http.get("/api/jobs/999999")).get("detail").asText()).isEqualTo("no job with id 999999");
        HttpResponse<String> nowhere = http.get("/api/nothing-here");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(HttpCalls.json(nowhere).get("detail").asText()).isEqualTo("no such resource: GET /api/nothing-here (see /api/openapi.json)");
    }

    @Test
    void page_size_and_body_size_are_capped() {
        HttpResponse<String> page = http.get("/api/jobs?limit=1001");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(HttpCalls.json(page).get("detail").asText()).startsWith("limit: expected a whole number in 1..1000");

        HttpResponse<String> big = http.post("/api/jobs", "{\"type\": \"echo\", \"payload\": \"" + "x".repeat(70_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(HttpCalls.json(big).get("detail").asText()).contains("http.maxBodyBytes");
    }

    @Test
    void a_running_job_is_cancelled_and_a_dead_one_retried() {
        long sleeping = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"sleep\", \"payload\": {\"ms\": 60000}}")).get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + sleeping)).get("state").asText(),
                s -> s.equals("RUNNING"));
        HttpResponse<String> cancelled = http.post("/api/jobs/" + sleeping + "/cancel", null);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(HttpCalls.json(cancelled).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(http.post("/api/jobs/" + sleeping + "/cancel", null).statusCode()).as("already final").isEqualTo(409);

        long failing = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"fail\", \"maxAttempts\": 1}")).get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + failing)).get("state").asText(),
                s -> s.equals("DEAD"));
        HttpResponse<String> retried = http.post("/api/jobs/" + failing + "/retry", null);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(HttpCalls.json(retried).get("ids")).extracting(JsonNode::asLong).containsExactly(failing);
        assertThat(http.post("/api/jobs/" + sleeping + "/retry", null).statusCode()).as("only DEAD jobs").isEqualTo(409);
    }

    @Test
    void queues_pause_and_resume_and_nodes_drain() {
        HttpResponse<String> typo = http.post("/api/queues/mial/pause", null);
        assertThat(typo.statusCode()).as("an unknown queue is most likely a typo").isEqualTo(404);
        assertThat(HttpCalls.json(typo).get("detail").asText()).contains("no queue named \"mial\"", "known: default",
                "create");
        assertThat(queueNames()).doesNotContain("mial");
        HttpResponse<String> paused = http.post("/api/queues/mail/pause?create=true", null);
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(HttpCalls.json(paused).get("paused").asBoolean()).isTrue();
        long id = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"noop\", \"queue\": \"mail\"}")).get("id").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue("mail").get("ready").asInt() == 1);
        JsonNode held = HttpCalls.json(http.get("/api/jobs/" + id));
        assertThat(held.get("state").asText()).isEqualTo("PENDING");
        assertThat(held.get("waiting").get("reason").asText()).isEqualTo("QUEUE_PAUSED");
        assertThat(held.get("waiting").get("detail").asText()).contains("earthling queues resume mail");
        assertThat(queue("mail").get("oldestReadyAgeMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(queue("mail").get("submittedPerSecond").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(queue("mail").get("finishedPerSecond").asDouble()).isGreaterThanOrEqualTo(0);

        assertThat(HttpCalls.json(http.post("/api/queues/mail/resume", null)).get("paused").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + id)).get("state").asText(),
                s -> s.equals("SUCCEEDED"));

        JsonNode node = HttpCalls.json(http.get("/api/nodes")).get("nodes").get(0);
        assertThat(node.get("workers").asInt()).isEqualTo(2);
        HttpResponse<String> drained = http.post("/api/nodes/" + node.get("id").asText() + "/drain", null);
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
        assertThat(http.post("/api/nodes/10.9.9.9:1/drain", null).statusCode()).isEqualTo(404);
    }

    @Test
    void a_delayed_job_says_until_when_it_waits_and_a_running_or_final_one_says_nothing() {
        long delayed = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"noop\", \"delayMs\": 600000}")).get("id").asLong();
        long done = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"noop\"}")).get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + done)).get("state").asText(),
                s -> s.equals("SUCCEEDED"));

        JsonNode waiting = HttpCalls.json(http.get("/api/jobs/" + delayed)).get("waiting");
        assertThat(waiting.get("reason").asText()).isEqualTo("DELAYED");
        assertThat(waiting.get("untilMs").asLong()).isGreaterThan(System.currentTimeMillis() + 500_000);
        assertThat(HttpCalls.json(http.get("/api/jobs?state=PENDING")).get("jobs").get(0).get("waiting").get("reason")
                .asText()).as("the list says it too").isEqualTo("DELAYED");
        assertThat(HttpCalls.json(http.get("/api/jobs/" + done)).has("waiting")).isFalse();
    }

    @Test
    void a_delayed_job_runs_now_and_finished_jobs_are_deleted_alone_or_as_a_queues_dead() {
        long delayed = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"noop\", \"delayMs\": 600000, "
                + "\"payload\": {\"ref\": \"inv-0042\"}}")).get("id").asLong();
        assertThat(HttpCalls.json(http.get("/api/jobs?q=inv-0042")).get("jobs")).singleElement()
                .satisfies(j -> assertThat(j.get("id").asLong()).isEqualTo(delayed));
        assertThat(HttpCalls.json(http.get("/api/jobs?q=inv-9999")).get("jobs")).isEmpty();
        assertThat(http.delete("/api/jobs/" + delayed).statusCode()).as("not final").isEqualTo(409);

        HttpResponse<String> due = http.post("/api/jobs/" + delayed + "/run-now", null);
        assertThat(due.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + delayed)).get("state").asText(),
                s -> s.equals("SUCCEEDED"));
        HttpResponse<String> again = http.post("/api/jobs/" + delayed + "/run-now", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(HttpCalls.json(again).get("detail").asText()).contains("only a delayed PENDING job can be run now");
        assertThat(HttpCalls.json(http.delete("/api/jobs/" + delayed)).get("ids")).extracting(JsonNode::asLong)
                .containsExactly(delayed);
        assertThat(http.get("/api/jobs/" + delayed).statusCode()).isEqualTo(404);

        long failing = HttpCalls.json(http.post("/api/jobs", "{\"type\": \"fail\", \"maxAttempts\": 1, \"queue\": \"dq\"}"))
                .get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> HttpCalls.json(http.get("/api/jobs/" + failing)).get("state").asText(),
                s -> s.equals("DEAD"));
        assertThat(http.send(http.request("/api/queues/dq/dead").DELETE()).statusCode()).as("anti-forgery header")
                .isEqualTo(403);
        assertThat(HttpCalls.json(http.delete("/api/queues/dq/dead")).get("ids")).extracting(JsonNode::asLong)
                .containsExactly(failing);
        assertThat(http.get("/api/jobs/" + failing).statusCode()).isEqualTo(404);
    }

    @Test
    void a_post_without_the_anti_forgery_header_is_refused() {
        HttpResponse<String> r = http.send(http.request("/api/jobs").header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\": \"noop\"}")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(HttpCalls.json(r).get("detail").asText()).contains("X-Earthling-Request");
        assertThat(HttpCalls.json(http.get("/api/jobs")).get("jobs")).isEmpty();
    }

    @Test
    void the_live_stream_greets_a_listener_and_then_pushes_the_cluster_with_its_nodes() {
        List<String> lines = http.streamUntil("/api/stream", l -> l.startsWith("data:") && l.contains("\"nodes\""));

        assertThat(lines).contains("event: hello").contains("event: cluster");
        assertThat(lines.get(lines.size() - 1)).contains("\"leader\":true").contains("\"atMs\"");
    }

    @Test
    void the_openapi_document_and_the_dashboard_are_served() {
        JsonNode doc = HttpCalls.json(http.get("/api/openapi.json"));
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").has("/api/jobs/{id}/cancel")).isTrue();
        assertThat(http.get("/").body()).contains("<title>Earthling</title>");
        assertThat(http.get("/dashboard.js").statusCode()).isEqualTo(200);
    }

    private List<String> queueNames() {
        List<String> names = new java.util.ArrayList<>();
        HttpCalls.json(http.get("/api/queues")).get("queues").forEach(q -> names.add(q.get("name").asText()));
        return names;
    }

    private JsonNode queue(String name) {
        for (JsonNode q : HttpCalls.json(http.get("/api/queues")).get("queues")) {
            if (q.get("name").asText().equals(name)) {
                return q;
            }
        }
        throw new AssertionError("no queue " + name);
    }
}

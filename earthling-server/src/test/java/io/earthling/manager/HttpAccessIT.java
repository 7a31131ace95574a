package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.assistant.Assistant;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token: without it the API, the dashboard and /metrics answer 401; with it, or the dashboard's cookie, they work. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpAccessIT {
    static final String TOKEN = "s3cret-token-0123456789";

    @TempDir
    Path dir;

    private Manager start(String storeUrl, String token) {
        return Manager.start(TestManagers.manager(TestManagers.freePort(), storeUrl), List.of(), Clock.systemUTC(),
                new HttpSettings("127.0.0.1", TestManagers.freePort(), token, 1 << 20));
    }

    /** An assistant, so that submitted types are known. */
    private static Assistant assistantOf(Manager m) {
        Assistant a = Assistant.start(TestManagers.assistant(TestManagers.freePort(), m.port(), 1));
        HttpCalls bearer = new HttpCalls(m.httpPort(), TOKEN);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> HttpCalls.json(bearer.get("/api/nodes")).get("nodes").size() == 1);
        return a;
    }

    @Test
    void without_the_token_api_dashboard_and_metrics_answer_401_and_with_it_200() {
        try (Manager m = start(TestManagers.h2(dir), TOKEN); Assistant a = assistantOf(m)) {
            HttpCalls anonymous = new HttpCalls(m.httpPort(), null);
            HttpCalls wrong = new HttpCalls(m.httpPort(), "not-the-token-at-all");
            HttpCalls bearer = new HttpCalls(m.httpPort(), TOKEN);
            for (String path : List.of("/api/jobs", "/api/nodes", "/api/queues", "/metrics", "/api/jobs/1")) {
                HttpResponse<String> r = anonymous.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"earthling\"");
                assertThat(wrong.get(path).statusCode()).as(path).isEqualTo(401);
            }
            HttpResponse<String> page = anonymous.get("/");
            assertThat(page.statusCode()).isEqualTo(401);
            assertThat(page.body()).as("the sign-in form, not the dashboard").contains("id=\"login\"").doesNotContain("id=\"jobs\"");
            assertThat(anonymous.post("/api/jobs", "{\"type\": \"noop\"}").statusCode()).isEqualTo(401);

            assertThat(bearer.get("/api/jobs").statusCode()).isEqualTo(200);
            assertThat(bearer.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(bearer.get("/").statusCode()).isEqualTo(200);
            assertThat(bearer.post("/api/jobs", "{\"type\": \"noop\"}").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void the_dashboard_signs_in_with_an_http_only_strict_cookie_that_does_not_hold_the_token() {
        try (Manager m = start(TestManagers.h2(dir), TOKEN); Assistant a = assistantOf(m)) {
            HttpCalls browser = new HttpCalls(m.httpPort(), null);
            assertThat(browser.post("/login", "{\"token\": \"guess-guess-guess\"}").statusCode()).isEqualTo(401);

            HttpResponse<String> login = browser.post("/login", "{\"token\": \"" + TOKEN + "\"}");
            assertThat(login.statusCode()).isEqualTo(204);
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(TOKEN);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            assertThat(browser.send(browser.request("/").header("Cookie", cookie).GET()).body()).contains("id=\"jobs\"");
            assertThat(browser.send(browser.request("/api/jobs").header("Cookie", cookie).GET()).statusCode()).isEqualTo(200);
            HttpResponse<String> forged = browser.send(browser.request("/api/jobs").header("Cookie", cookie)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"noop\"}")));
            assertThat(forged.statusCode()).as("a cross-site form cannot add the header").isEqualTo(403);
            HttpResponse<String> real = browser.send(browser.request("/api/jobs").header("Cookie", cookie)
                    .header("X-Earthling-Request", "1").POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"noop\"}")));
            assertThat(real.statusCode()).isEqualTo(201);
        }
    }

    @Test
    void a_standby_answers_the_api_with_503() throws Exception {
        String url = TestManagers.postgres();
        try (Manager leader = start(url, null)) {
            await().atMost(Duration.ofSeconds(30)).until(leader::isLeader);
            try (Manager standby = start(url, null)) {
                HttpResponse<String> r = new HttpCalls(standby.httpPort(), null).get("/api/jobs");
                assertThat(standby.isLeader()).isFalse();
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(HttpCalls.json(r).get("detail").asText()).isEqualTo("this manager is a standby; ask the leader");
                assertThat(new HttpCalls(leader.httpPort(), null).get("/api/jobs").statusCode()).isEqualTo(200);
            }
        }
    }
}

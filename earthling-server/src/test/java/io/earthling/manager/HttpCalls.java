package io.earthling.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the manager's API in tests: each answer with its status, headers and body. */
final class HttpCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    HttpCalls(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** A POST as the dashboard sends it: with the anti-forgery header. */
    HttpResponse<String> post(String path, String json) {
        return send(request(path).header("X-Earthling-Request", "1").header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A DELETE as the dashboard sends it: with the anti-forgery header. */
    HttpResponse<String> delete(String path) {
        return send(request(path).header("X-Earthling-Request", "1").DELETE());
    }

    /** The lines of a server-sent event stream up to and including the first that {@code last} accepts. */
    java.util.List<String> streamUntil(String path, java.util.function.Predicate<String> last) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        try (java.util.stream.Stream<String> body = client.send(request(path).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines()).body()) {
            java.util.Iterator<String> it = body.iterator();
            while (it.hasNext()) {
                String line = it.next();
                lines.add(line);
                if (last.test(line)) {
                    break;
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(r.body(), e);
        }
    }
}

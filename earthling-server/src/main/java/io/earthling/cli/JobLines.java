package io.earthling.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.internal.JsonErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON-lines file of jobs, one object a line: type, payload, queue, priority, maxAttempts, delay (ms),
 * idempotencyKey, concurrencyKey, concurrencyLimit. The whole file is read and checked before anything is submitted.
 */
final class JobLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("type", "payload", "queue", "priority", "maxAttempts", "delay",
            "idempotencyKey", "concurrencyKey", "concurrencyLimit");

    private JobLines() {
    }

    /** One job of the file and the line it came from (1-based). */
    record Line(int number, JobSpec job) {
    }

    static List<JobSpec> read(Path file) {
        return lines(file).stream().map(Line::job).toList();
    }

    static List<Line> lines(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new EarthlingException("--file: cannot read " + file + ": " + e.getMessage());
        }
        List<Line> jobs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                jobs.add(new Line(i + 1, parse(lines.get(i), file + ":" + (i + 1))));
            }
        }
        return jobs;
    }

    static JobSpec parse(String line, String where) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new EarthlingException(where + ": not valid JSON: " + JsonErrors.describe(e) + "; nothing submitted");
        }
        if (n == null || !n.isObject()) {
            throw new EarthlingException(where + ": expected a JSON object with at least \"type\"; nothing submitted");
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new EarthlingException(where + ": " + f + ": unknown field (known: " + String.join(", ", FIELDS)
                        + "); nothing submitted");
            }
        });
        if (!n.path("type").isTextual() || n.get("type").asText().isBlank()) {
            throw new EarthlingException(where + ": type: missing or not a string; nothing submitted");
        }
        JsonNode payload = n.path("payload");
        String payloadJson = payload.isMissingNode() || payload.isNull() ? "{}" : payload.toString();
        JobSpec spec = JobSpec.of(n.get("type").asText(), payloadJson)
                .withQueue(text(n, "queue", where)).withIdempotencyKey(text(n, "idempotencyKey", where))
                .withPriority(integer(n, "priority", where)).withMaxAttempts(integer(n, "maxAttempts", where));
        String key = text(n, "concurrencyKey", where);
        if (key != null) {
            spec = spec.withConcurrencyKey(key, Math.max(1, integer(n, "concurrencyLimit", where)));
        }
        return spec.withDelay(Duration.ofMillis(integer(n, "delay", where)));
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new EarthlingException(where + ": " + field + ": expected a string, got " + v + "; nothing submitted");
        }
        return v.asText();
    }

    private static int integer(JsonNode n, String field, String where) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asLong() < ("priority".equals(field) ? Integer.MIN_VALUE : 0) || !v.canConvertToInt()) {
            throw new EarthlingException(where + ": " + field + ": expected a whole number"
                    + ("priority".equals(field) ? "" : " of at least 0") + ", got " + v + "; nothing submitted");
        }
        return v.asInt();
    }
}

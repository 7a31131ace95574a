package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.earthling.protocol.jobs.SubmitRequest;
import java.util.Iterator;
import java.util.List;

/** A submission's JSON, checked field by field, as the gRPC request the Jobs service validates further. */
final class SubmitJson {
    private static final List<String> FIELDS = List.of("type", "payload", "queue", "priority", "maxAttempts",
            "idempotencyKey", "delayMs", "routingKey", "timeoutMs", "concurrencyKey", "concurrencyLimit");

    private SubmitJson() {
    }

    /** {@code where}: how an error names this job, e.g. "" or "jobs[3]." */
    static SubmitRequest parse(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw new HttpProblem(400, (where.isEmpty() ? "body" : where.substring(0, where.length() - 1))
                    + ": expected a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new HttpProblem(400, where + f + ": unknown field (known: " + String.join(", ", FIELDS) + ")");
            }
        }
        SubmitRequest.Builder b = SubmitRequest.newBuilder().setType(text(n, "type", where, true));
        JsonNode payload = n.get("payload");
        if (payload != null && !payload.isNull()) {
            b.setPayload(ByteString.copyFromUtf8(payload.isTextual() ? payload.asText() : payload.toString()));
        }
        b.setQueue(text(n, "queue", where, false)).setIdempotencyKey(text(n, "idempotencyKey", where, false))
                .setRoutingKey(text(n, "routingKey", where, false))
                .setConcurrencyKey(text(n, "concurrencyKey", where, false))
                .setPriority((int) number(n, "priority", where, Integer.MIN_VALUE, Integer.MAX_VALUE))
                .setMaxAttempts((int) number(n, "maxAttempts", where, 0, 1000))
                .setDelayMs(number(n, "delayMs", where, 0, Long.MAX_VALUE))
                .setTimeoutMs(number(n, "timeoutMs", where, 0, Long.MAX_VALUE))
                .setConcurrencyLimit((int) number(n, "concurrencyLimit", where, 0, Integer.MAX_VALUE));
        return b.build();
    }

    private static String text(JsonNode n, String field, String where, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new HttpProblem(400, where + field + ": required");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw new HttpProblem(400, where + field + ": expected a string, got " + v);
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field, String where, long min, long max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new HttpProblem(400, where + field + ": expected a whole number in " + min + ".." + max + ", got " + v);
        }
        return v.asLong();
    }
}

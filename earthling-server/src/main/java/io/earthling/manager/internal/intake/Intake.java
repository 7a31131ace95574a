package io.earthling.manager.internal.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.earthling.api.EarthlingException;
import io.earthling.core.QueueLimits;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.store.NewJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a submission before anything is stored: size, JSON, queue name, a type some worker can run. */
public final class Intake {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_KEY = 200;
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The longest delay (and timeout) a job may have: ten years. */
    public static final long MAX_DELAY_MS = 10L * 365 * 24 * 3600 * 1000;

    private final int maxPayloadBytes;

    private final Map<String, QueueLimits> queues;
    private final Map<String, Integer> typeMaxAttempts;

    /** Whether a job of a type may be submitted now: throws {@link EarthlingException} if not. */
    @FunctionalInterface
    public interface TypeCheck {
        void check(String type);

        /** A fixed set of known types (tests, tools). */
        static TypeCheck of(Set<String> known) {
            return type -> {
                if (!known.contains(type)) {
                    throw new EarthlingException("unknown job type '" + type + "': no connected worker can run it (known: "
                            + String.join(", ", io.earthling.api.internal.InternalTypes.visible(known)) + ")");
                }
            };
        }
    }

    public Intake(int maxPayloadBytes, Map<String, QueueLimits> queues, Map<String, Integer> typeMaxAttempts) {
        this.typeMaxAttempts = typeMaxAttempts;
        this.maxPayloadBytes = maxPayloadBytes;
        this.queues = queues;
    }

    public NewJob validate(SubmitRequest r, TypeCheck types, long nowMs) {
        String type = r.getType();
        if (type.isBlank()) {
            throw new EarthlingException("type: missing");
        }
        types.check(type);
        String queue = r.getQueue().isEmpty() ? "default" : r.getQueue();
        if (!NAME.matcher(queue).matches()) {
            throw new EarthlingException("queue: not a valid name: \"" + queue + "\" (letters, digits, _ . -; at most 64)");
        }
        if (r.getPayload().size() > maxPayloadBytes) {
            throw new EarthlingException("payload: " + r.getPayload().size() + " bytes is over the limit of "
                    + maxPayloadBytes + " bytes (limits.maxPayloadBytes)");
        }
        String payload = r.getPayload().isEmpty() ? "{}" : r.getPayload().toString(StandardCharsets.UTF_8);
        checkJson(payload);
        if (r.getMaxAttempts() < 0 || r.getDelayMs() < 0 || r.getTimeoutMs() < 0) {
            throw new EarthlingException("maxAttempts, delay and timeout must not be negative");
        }
        if (r.getDelayMs() > MAX_DELAY_MS || r.getTimeoutMs() > MAX_DELAY_MS) {
            // 2^63-1 would overflow the due time and run at once (issue 16, item 8).
            throw new EarthlingException("delay and timeout: at most " + MAX_DELAY_MS + " ms (10 years), not "
                    + Math.max(r.getDelayMs(), r.getTimeoutMs()));
        }
        int queueDefault = queues.getOrDefault(queue, QueueLimits.DEFAULT).maxAttempts();
        // The job's own count, else its type's, else its queue's, else the default.
        int maxAttempts = r.getMaxAttempts() > 0 ? r.getMaxAttempts()
                : typeMaxAttempts.getOrDefault(type, queueDefault > 0 ? queueDefault : DEFAULT_MAX_ATTEMPTS);
        if (r.getConcurrencyKey().length() > MAX_KEY || r.getIdempotencyKey().length() > MAX_KEY
                || r.getRoutingKey().length() > MAX_KEY) {
            throw new EarthlingException("concurrencyKey, idempotencyKey and routingKey: at most " + MAX_KEY + " characters");
        }
        if (r.getConcurrencyLimit() < 0) {
            throw new EarthlingException("concurrencyLimit must not be negative");
        }
        return new NewJob(queue, type, payload, r.getPriority(), maxAttempts, nowMs + r.getDelayMs(), r.getTimeoutMs(),
                r.getIdempotencyKey().isEmpty() ? null : r.getIdempotencyKey(),
                r.getRoutingKey().isEmpty() ? null : r.getRoutingKey(),
                r.getConcurrencyKey().isEmpty() ? null : r.getConcurrencyKey(), Math.max(1, r.getConcurrencyLimit()));
    }

    static void checkJson(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() == null) {
                throw new EarthlingException("payload: empty, expected JSON");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new EarthlingException("payload: not valid JSON: trailing content after the first value");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EarthlingException("payload: not valid JSON: " + io.earthling.api.internal.JsonErrors.describe(e));
        } catch (IOException e) {
            throw new EarthlingException("payload: not valid JSON: " + e.getMessage());
        }
    }

    static boolean isJson(String text) {
        try {
            checkJson(text);
            return true;
        } catch (EarthlingException e) {
            return false;
        }
    }

}

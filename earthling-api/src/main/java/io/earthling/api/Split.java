package io.earthling.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A handler's answer that fans out instead of returning a result: return {@link #toResult()} from
 * {@link JobHandler#handle}. The manager stores the children in the same transaction that parks the job
 * (WAITING), runs them anywhere, and once all are final runs one job of {@code gatherType} whose
 * {@link JobContext#childResults()} are the children's results in child order; its result becomes the job's.
 * Children are either listed ({@link #of}) or numbered ({@link #indexed}: child {@code i} gets the base payload
 * plus {@code "index": i, "count": n}, so a split into 100,000 children stays a few bytes). A child whose queue
 * is unset (or "default") runs in its parent's queue.
 */
public record Split(List<JobSpec> children, String indexedType, int indexedCount, String indexedPayload,
                    String gatherType, OnChildFailure onChildFailure) {
    public static final int MAX_CHILDREN = 1_000_000;
    static final String KEY = "earthling.split";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a failed (DEAD or CANCELLED) child does to its parent. */
    public enum OnChildFailure {
        /** The parent becomes DEAD with the first failed child's error as soon as one fails (the default). */
        FAIL_FAST,
        /** The gather runs anyway; a failed child's result is null and its error is in {@link JobContext#childErrors()}. */
        GATHER_WITH_ERRORS
    }

    public Split {
        children = children == null ? List.of() : List.copyOf(children);
        if (gatherType == null || gatherType.isBlank()) {
            throw new EarthlingException("split: gatherType is required");
        }
        if (indexedCount < 0 || indexedCount + children.size() > MAX_CHILDREN) {
            throw new EarthlingException("split: between 0 and " + MAX_CHILDREN + " children, not "
                    + (indexedCount + children.size()));
        }
        if (indexedCount > 0 && (indexedType == null || indexedType.isBlank())) {
            throw new EarthlingException("split: indexed children need a type");
        }
        onChildFailure = onChildFailure == null ? OnChildFailure.FAIL_FAST : onChildFailure;
        indexedPayload = indexedPayload == null || indexedPayload.isBlank() ? "{}" : indexedPayload;
    }

    public static Split of(List<JobSpec> children, String gatherType) {
        return new Split(children, null, 0, null, gatherType, null);
    }

    public static Split indexed(String childType, int count, String basePayload, String gatherType) {
        return new Split(List.of(), childType, count, basePayload, gatherType, null);
    }

    public Split onChildFailure(OnChildFailure policy) {
        return new Split(children, indexedType, indexedCount, indexedPayload, gatherType, policy);
    }

    public int size() {
        return children.size() + indexedCount;
    }

    /** The payload of numbered child {@code i}: the base object with {@code index} and {@code count} added. */
    public String indexedPayload(int i) {
        try {
            JsonNode base = JSON.readTree(indexedPayload);
            ObjectNode o = base.isObject() ? (ObjectNode) base : JSON.createObjectNode();
            o.put("index", i);
            o.put("count", indexedCount);
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new EarthlingException("split: the base payload is not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The JSON text a handler returns to answer with this split. Return this very string: the worker recognises a
     * split by it (a copy, or any other text that reads like a split, is an ordinary result).
     */
    public String toResult() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode s = root.putObject(KEY);
        s.put("gather", gatherType);
        s.put("onChildFailure", onChildFailure.name());
        ArrayNode list = s.putArray("children");
        for (JobSpec c : children) {
            ObjectNode o = list.addObject();
            o.put("type", c.type());
            o.set("payload", tree(c.payload()));
            if (!"default".equals(c.queue())) {
                o.put("queue", c.queue());
            }
            o.put("priority", c.priority());
            o.put("maxAttempts", c.maxAttempts());
        }
        if (indexedCount > 0) {
            ObjectNode ix = s.putObject("indexed");
            ix.put("type", indexedType);
            ix.put("count", indexedCount);
            ix.set("payload", tree(indexedPayload));
        }
        return io.earthling.api.internal.IssuedSplits.issue(root.toString());
    }

    /** The split a result stands for, if it is one; a malformed split throws {@link EarthlingException}. */
    public static Optional<Split> parse(String result) {
        if (result == null || !result.startsWith("{\"" + KEY + "\"")) {
            return Optional.empty();
        }
        JsonNode s = tree(result).path(KEY);
        List<JobSpec> children = new java.util.ArrayList<>();
        for (JsonNode c : s.path("children")) {
            JobSpec spec = JobSpec.of(c.path("type").asText(), c.path("payload").toString())
                    .withPriority(c.path("priority").asInt()).withMaxAttempts(c.path("maxAttempts").asInt());
            children.add(c.hasNonNull("queue") ? spec.withQueue(c.get("queue").asText()) : spec);
        }
        JsonNode ix = s.path("indexed");
        OnChildFailure policy = OnChildFailure.valueOf(s.path("onChildFailure").asText("FAIL_FAST"));
        return Optional.of(new Split(children, ix.path("type").asText(null), ix.path("count").asInt(0),
                ix.isMissingNode() ? null : ix.path("payload").toString(), s.path("gather").asText(null), policy));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json == null || json.isBlank() ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new EarthlingException("split: not JSON: " + e.getOriginalMessage());
        }
    }
}

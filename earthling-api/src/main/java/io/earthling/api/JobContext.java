package io.earthling.api;

import com.fasterxml.jackson.databind.JsonNode;

/** What a handler knows about the attempt it runs. */
public interface JobContext {
    long jobId();

    /** 1 for the first run. */
    int attempt();

    String type();

    String queue();

    /** The payload as UTF-8 JSON text. */
    String payload();

    /** The payload parsed. */
    JsonNode payloadJson();

    /** Appends a line to this attempt's log, kept (bounded) with the attempt. */
    void log(String line);

    /** True once the job was cancelled or timed out; long handlers should check it and stop. */
    boolean isCancelled();

    /**
     * In a gather job (see {@link Split}): the children's results in child order; a child that failed or kept no
     * result has a JSON null. Empty in other jobs.
     */
    default java.util.List<JsonNode> childResults() {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        payloadJson().path("results").forEach(out::add);
        return out;
    }

    /** In a gather job: each child's error in child order (null where it succeeded). */
    default java.util.List<String> childErrors() {
        java.util.List<String> out = new java.util.ArrayList<>();
        JsonNode errors = payloadJson().path("errors");
        for (int i = 0; i < childResults().size(); i++) {
            out.add(errors.path(i).isTextual() ? errors.get(i).asText() : null);
        }
        return out;
    }

    /**
     * What a pipeline stage works on: the previous stage's output when this job gathers a one-child split (every
     * stage after the first does), else the payload.
     */
    default JsonNode input() {
        JsonNode p = payloadJson();
        if (p.has("parent") && p.path("results").isArray() && p.path("results").size() == 1) {
            return p.path("results").get(0);
        }
        return p;
    }

    /** In a gather job: the payload of the job that split. */
    default JsonNode splitInput() {
        return payloadJson().path("input");
    }
}

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
}

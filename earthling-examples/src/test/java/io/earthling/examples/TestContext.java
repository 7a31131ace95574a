package io.earthling.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.JobContext;

record TestContext(long jobId, int attempt, String payload) implements JobContext {
    @Override
    public String type() {
        return "test";
    }

    @Override
    public String queue() {
        return "default";
    }

    @Override
    public JsonNode payloadJson() {
        try {
            return new ObjectMapper().readTree(payload);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void log(String line) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}

package io.earthling.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;

/** A child of {@code fanout}: {@code {"sum": index + 1}}, after {@code sleepMs}; fails for good at {@code failIndex}. */
public final class LeafHandler implements JobHandler {
    @Override
    public String type() {
        return "leaf";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        JsonNode p = context.payloadJson();
        int index = p.path("index").asInt();
        if (index == p.path("failIndex").asInt(-1)) {
            throw new JobFailure("leaf " + index + " fails on purpose", false);
        }
        long sleepMs = p.path("sleepMs").asLong(0);
        if (sleepMs > 0) {
            Thread.sleep(sleepMs);
        }
        return "{\"sum\":" + (index + 1) + "}";
    }
}

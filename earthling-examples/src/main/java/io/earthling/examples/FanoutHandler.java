package io.earthling.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import io.earthling.api.Split;

/**
 * {@code {"width": w, "depth": d, "failIndex": k, "policy": "FAIL_FAST"}}: splits into {@code w} children,
 * {@code fanout} again while {@code d > 1}, else {@code leaf}; {@code sum} gathers. Depth 1 sums to w(w+1)/2.
 */
public final class FanoutHandler implements JobHandler {
    @Override
    public String type() {
        return "fanout";
    }

    @Override
    public String handle(JobContext context) {
        JsonNode p = context.payloadJson();
        int width = p.path("width").asInt(10);
        int depth = p.path("depth").asInt(1);
        String base = "{\"width\":" + width + ",\"depth\":" + (depth - 1) + ",\"failIndex\":" + p.path("failIndex").asInt(-1)
                + ",\"sleepMs\":" + p.path("sleepMs").asInt(0) + "}";
        Split split = Split.indexed(depth > 1 ? "fanout" : "leaf", width, base, "sum")
                .onChildFailure(Split.OnChildFailure.valueOf(p.path("policy").asText("FAIL_FAST")));
        return split.toResult();
    }
}

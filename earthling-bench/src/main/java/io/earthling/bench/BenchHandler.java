package io.earthling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/** Earthling's handler for benchmark jobs, run in worker processes: {@code {"k": key, "r": "host:port", "cpu": ms}}. */
public final class BenchHandler implements JobHandler {
    @Override
    public String type() {
        return "bench";
    }

    @Override
    public String handle(JobContext context) {
        JsonNode p = context.payloadJson();
        new BenchJob(p.path("cpu").asInt()).run(p.get("k").asInt(), Recorder.remote(p.get("r").asText()));
        return null;
    }
}

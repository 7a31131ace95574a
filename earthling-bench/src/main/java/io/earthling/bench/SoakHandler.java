package io.earthling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/**
 * The soak's jobs, run in worker processes: {@code {"k": key, "r": "host:port", "ms": wait, "fail": true}}. A job
 * waits {@code ms} (sleeping: the soak's jobs stand for I/O, and two cores cannot spare CPU for them), logs a line
 * when it waited, and reports its start and end to the {@link Recorder}. A failing job fails every attempt: it
 * reports its first start, logs each attempt, and reports its end on its last attempt before it fails, so the
 * recorder counts it done when it dies.
 */
public final class SoakHandler implements JobHandler {
    static final String TYPE = "soak";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String handle(JobContext context) throws Exception {
        long start = Recorder.nowMicros();
        JsonNode p = context.payloadJson();
        int key = p.get("k").asInt();
        Recorder.Sink sink = Recorder.remote(p.get("r").asText());
        int ms = p.path("ms").asInt();
        if (p.path("fail").asBoolean()) {
            int last = p.path("attempts").asInt();
            context.log("attempt " + context.attempt() + " of " + last + " fails on purpose");
            sink.record(key, start, context.attempt() >= last ? Recorder.nowMicros() : 0);
            throw new IllegalStateException("soak job " + key + " fails on purpose");
        }
        if (ms > 0) {
            Thread.sleep(ms);
            context.log("waited " + ms + " ms");
        }
        sink.record(key, start, Recorder.nowMicros());
        return null;
    }
}

package io.earthling.worker.internal;

import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;

/** Sleeps {@code {"ms": N}} milliseconds, stopping early when interrupted; returns {@code {"sleptMs": N}}. It logs when it starts and ends. */
public final class SleepHandler implements JobHandler {
    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public String handle(JobContext context) throws InterruptedException {
        long ms = context.payloadJson().path("ms").asLong(-1);
        if (ms < 0) {
            throw new JobFailure("sleep needs {\"ms\": N} with N >= 0", false);
        }
        context.log("sleeping " + ms + " ms");
        Thread.sleep(ms);
        context.log("woke up after " + ms + " ms");
        return "{\"sleptMs\":" + ms + "}";
    }
}

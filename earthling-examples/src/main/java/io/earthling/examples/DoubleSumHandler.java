package io.earthling.examples;

import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/** A pipeline stage: {@code {"sum": n}} in (its {@link JobContext#input()}), {@code {"sum": 2n}} out. */
public final class DoubleSumHandler implements JobHandler {
    @Override
    public String type() {
        return "double-sum";
    }

    @Override
    public String handle(JobContext context) {
        return "{\"sum\":" + 2 * context.input().path("sum").asLong() + "}";
    }
}

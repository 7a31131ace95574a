package io.earthling.worker.internal;

import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/** Returns its payload as the result. */
public final class EchoHandler implements JobHandler {
    @Override
    public String type() {
        return "echo";
    }

    @Override
    public String handle(JobContext context) {
        return context.payload();
    }
}

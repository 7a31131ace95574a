package io.earthling.worker.internal;

import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/** Does nothing; measures the system's own overhead. */
public final class NoopHandler implements JobHandler {
    @Override
    public String type() {
        return "noop";
    }

    @Override
    public String handle(JobContext context) {
        return null;
    }
}

package io.earthling.worker.internal;

import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;

/** Always fails: with {@code "message"} from the payload, retryable unless {@code "retryable": false}. */
public final class FailHandler implements JobHandler {
    @Override
    public String type() {
        return "fail";
    }

    @Override
    public String handle(JobContext context) {
        var payload = context.payloadJson();
        String message = payload.path("message").asText("");
        throw new JobFailure(message.isEmpty() ? "failed on purpose" : message,
                payload.path("retryable").asBoolean(true));
    }
}

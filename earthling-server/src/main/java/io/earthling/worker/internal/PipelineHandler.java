package io.earthling.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;
import io.earthling.api.JobSpec;
import io.earthling.api.Split;
import java.util.List;

/**
 * A pipeline run, {@code {"pipeline": name, "stages": [S1, ..., Sk], "input": x}}, as nested one-child splits:
 * the run splits into the run of S1..S(k-1) and is gathered by Sk, whose {@link JobContext#input()} is then the
 * previous stage's output; a one-stage run splits into S1(x), gathered by {@code pipeline-pass}. A stage may split
 * in turn (fan out) and gather its own children. Any failed stage fails the run (fail fast), after the retries of
 * its queue.
 */
public final class PipelineHandler implements JobHandler {
    public static final String TYPE = "pipeline";
    public static final String PASS = "pipeline-pass";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String handle(JobContext context) {
        JsonNode p = context.payloadJson();
        JsonNode stages = p.path("stages");
        if (!stages.isArray() || stages.isEmpty()) {
            throw new JobFailure("pipeline needs {\"stages\": [type, ...], \"input\": {...}}", false);
        }
        int k = stages.size();
        if (k == 1) {
            return Split.of(List.of(JobSpec.of(stages.get(0).asText(), p.path("input").toString())), PASS).toResult();
        }
        ObjectNode head = p.deepCopy();
        ArrayNode first = head.putArray("stages");
        for (int i = 0; i < k - 1; i++) {
            first.add(stages.get(i));
        }
        return Split.of(List.of(JobSpec.of(TYPE, head.toString())), stages.get(k - 1).asText()).toResult();
    }

    /** Ends a one-stage run with its stage's output. */
    public static final class Pass implements JobHandler {
        @Override
        public String type() {
            return PASS;
        }

        @Override
        public String handle(JobContext context) {
            return context.input().toString();
        }
    }
}

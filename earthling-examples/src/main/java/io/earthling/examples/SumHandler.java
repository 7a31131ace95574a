package io.earthling.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import java.util.List;

/** Gathers {@code {"sum": n}} results: {@code {"sum": total, "children": n, "failed": k}}. */
public final class SumHandler implements JobHandler {
    @Override
    public String type() {
        return "sum";
    }

    @Override
    public String handle(JobContext context) {
        List<JsonNode> results = context.childResults();
        long sum = 0;
        int failed = 0;
        for (JsonNode r : results) {
            if (r.isNull()) {
                failed++;
            } else {
                sum += r.path("sum").asLong();
            }
        }
        return "{\"sum\":" + sum + ",\"children\":" + results.size() + ",\"failed\":" + failed + "}";
    }
}

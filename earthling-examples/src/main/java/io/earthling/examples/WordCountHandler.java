package io.earthling.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;
import java.util.Map;

/** {@code {"doc": name, "text": "..."}} to {@code {"doc": name, "words": N, "counts": {"word": n, ...}}}. */
public final class WordCountHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "wordcount";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        JsonNode payload = context.payloadJson();
        if (!payload.path("text").isTextual()) {
            throw new JobFailure("wordcount needs {\"doc\": name, \"text\": \"...\"}", false);
        }
        Map<String, Long> counts = Tokenizer.count(payload.get("text").asText());
        ObjectNode result = JSON.createObjectNode();
        result.put("doc", payload.path("doc").asText(""));
        result.put("words", counts.values().stream().mapToLong(Long::longValue).sum());
        ObjectNode countsNode = result.putObject("counts");
        counts.forEach(countsNode::put);
        return JSON.writeValueAsString(result);
    }
}

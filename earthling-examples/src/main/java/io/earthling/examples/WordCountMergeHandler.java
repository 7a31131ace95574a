package io.earthling.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import java.util.Map;
import java.util.TreeMap;

/** Gathers {@code wordcount-part} results into one {@code {"word": n, ...}}, sorted by word. */
public final class WordCountMergeHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "wordcount-merge";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        Map<String, Long> total = new TreeMap<>();
        for (JsonNode part : context.childResults()) {
            part.fields().forEachRemaining(e -> total.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        return JSON.writeValueAsString(total);
    }
}

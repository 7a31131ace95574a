package io.earthling.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/** Gathers {@code preprocess-doc} results into {@code {"docs": [{"url", "tokens"}, ...]}}, in page order. */
public final class PreprocessCollectHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "preprocess-collect";
    }

    @Override
    public String handle(JobContext context) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode docs = out.putArray("docs");
        context.childResults().forEach(docs::add);
        return out.toString();
    }
}

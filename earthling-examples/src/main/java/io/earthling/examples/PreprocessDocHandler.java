package io.earthling.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/**
 * {@code {"url": U}}: fetches one page, strips its tags, lower-cases and tokenizes it and drops stop words
 * ({@link Tokenizer}); result {@code {"url": U, "tokens": [...]}} in text order.
 */
public final class PreprocessDocHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "preprocess-doc";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        String url = context.payloadJson().path("url").asText();
        ObjectNode out = JSON.createObjectNode().put("url", url);
        Tokenizer.tokens(Pages.text(Pages.fetch(url))).forEach(out.putArray("tokens")::add);
        return out.toString();
    }
}

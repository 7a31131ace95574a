package io.earthling.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;

/** {@code {"seed": s, "index": i}}: the word counts of demo document {@code i}, {@code {"word": n, ...}}. */
public final class WordCountPartHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "wordcount-part";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        long seed = context.payloadJson().path("seed").asLong(1);
        int index = context.payloadJson().path("index").asInt();
        return JSON.writeValueAsString(Tokenizer.count(DemoCorpus.document(index, seed).text()));
    }
}

package io.earthling.examples;

import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import io.earthling.api.Split;

/**
 * {@code {"docs": n, "seed": s}}: word count over the demo corpus ({@link DemoCorpus#document}) split into one
 * {@code wordcount-part} child per document, merged by {@code wordcount-merge}.
 */
public final class WordCountSplitHandler implements JobHandler {
    @Override
    public String type() {
        return "wordcount-split";
    }

    @Override
    public String handle(JobContext context) {
        int docs = context.payloadJson().path("docs").asInt(1000);
        long seed = context.payloadJson().path("seed").asLong(1);
        return Split.indexed("wordcount-part", docs, "{\"seed\":" + seed + "}", "wordcount-merge").toResult();
    }
}

package io.earthling.examples;

import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import io.earthling.api.JobSpec;
import io.earthling.api.Split;
import java.util.ArrayList;
import java.util.List;

/**
 * The text-mining pipeline's second stage: input {@code {"pages": [url, ...]}} (the crawl's result); splits into
 * one {@code preprocess-doc} job per page, gathered in page order by {@code preprocess-collect}.
 */
public final class PreprocessHandler implements JobHandler {
    @Override
    public String type() {
        return "preprocess";
    }

    @Override
    public String handle(JobContext context) {
        List<JobSpec> children = new ArrayList<>();
        context.input().path("pages").forEach(url ->
                children.add(JobSpec.of("preprocess-doc", "{\"url\":" + url.toString() + "}")));
        return Split.of(children, "preprocess-collect").toResult();
    }
}

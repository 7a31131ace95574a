package io.earthling.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code {"url": START, "maxPages": n}}: the text-mining pipeline's first stage. Crawls breadth-first from START
 * over links on the same host and port (at most n pages, default 1000); result {@code {"pages": [url, ...]}},
 * sorted.
 */
public final class CrawlHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "crawl";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        String start = context.input().path("url").asText("");
        if (start.isBlank()) {
            throw new IllegalArgumentException("crawl: payload key url: a start URL is required");
        }
        int max = context.input().path("maxPages").asInt(1000);
        Set<String> seen = new TreeSet<>(Set.of(start));
        Deque<String> frontier = new ArrayDeque<>(Set.of(start));
        while (!frontier.isEmpty() && !context.isCancelled()) {
            String url = frontier.poll();
            for (String link : Pages.links(url, Pages.fetch(url))) {
                if (seen.size() < max && seen.add(link)) {
                    frontier.add(link);
                }
            }
        }
        ObjectNode out = JSON.createObjectNode();
        seen.forEach(out.putArray("pages")::add);
        context.log("crawled " + seen.size() + " pages from " + start);
        return out.toString();
    }
}

package io.earthling.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * The text-mining pipeline's last stage: input {@code {"docs": [{"tokens": [...]}, ...]}} (the per-document
 * results of preprocess); builds the {@link CooccurrenceNetwork} (window 3, pairs seen at least twice) and
 * returns the top 10 terms by degree and by betweenness centrality, scores rounded to 2 decimals.
 */
public final class AnalyzeHandler implements JobHandler {
    static final int WINDOW = 3;
    static final int MIN_COUNT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "analyze";
    }

    @Override
    public String handle(JobContext context) {
        List<List<String>> docs = new ArrayList<>();
        for (JsonNode d : context.input().path("docs")) {
            List<String> tokens = new ArrayList<>();
            d.path("tokens").forEach(t -> tokens.add(t.asText()));
            docs.add(tokens);
        }
        CooccurrenceNetwork n = CooccurrenceNetwork.build(docs, WINDOW, MIN_COUNT);
        ObjectNode out = JSON.createObjectNode().put("documents", docs.size())
                .put("terms", n.neighbours().size()).put("edges", n.edges());
        put(out.putArray("degree"), Centrality.top(Centrality.degree(n), 10));
        put(out.putArray("betweenness"), Centrality.top(Centrality.betweenness(n), 10));
        return out.toString();
    }

    private static void put(ArrayNode array, List<Centrality.Score> scores) {
        scores.forEach(s -> array.addObject().put("term", s.term()).put("score", Math.round(s.score() * 100) / 100.0));
    }
}

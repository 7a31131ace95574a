package io.earthling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class TextMiningPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCorpusIsTheSameForTheSameSeedAndEveryPageIsReachableFromTheIndex() throws Exception {
        assertThat(TextMiningCorpus.generate(50, 7)).isEqualTo(TextMiningCorpus.generate(50, 7));
        try (CorpusServer server = CorpusServer.start(TextMiningCorpus.generate(50, 7))) {
            String start = server.url() + "/index.html";

            JsonNode crawled = JSON.readTree(new CrawlHandler().handle(
                    new TestContext(1, 1, "{\"url\":\"" + start + "\"}")));

            assertThat(crawled.path("pages")).hasSize(51);
        }
    }

    @Test
    void theStagesRunInOneProcessGiveTopTermsByDegreeAndBetweenness() throws Exception {
        try (CorpusServer server = CorpusServer.start(TextMiningCorpus.generate(40, 42))) {
            JsonNode pages = JSON.readTree(new CrawlHandler().handle(
                    new TestContext(1, 1, "{\"url\":\"" + server.url() + "/index.html\"}"))).path("pages");
            ArrayNode results = JSON.createArrayNode();
            for (JsonNode url : pages) {
                results.add(JSON.readTree(new PreprocessDocHandler().handle(
                        new TestContext(2, 1, "{\"url\":" + url + "}"))));
            }
            ObjectNode gather = JSON.createObjectNode().put("parent", 3);
            gather.set("results", results);
            String docs = new PreprocessCollectHandler().handle(new TestContext(4, 1, gather.toString()));

            ObjectNode analyze = JSON.createObjectNode().put("parent", 5);
            analyze.putArray("results").add(JSON.readTree(docs));
            JsonNode top = JSON.readTree(new AnalyzeHandler().handle(new TestContext(6, 1, analyze.toString())));

            assertThat(top.path("documents").asInt()).isEqualTo(41);
            assertThat(top.path("degree")).hasSize(10);
            assertThat(top.path("betweenness")).hasSize(10);
            assertThat(top.path("degree").get(0).path("score").asDouble())
                    .isGreaterThanOrEqualTo(top.path("degree").get(9).path("score").asDouble());
            assertThat(JSON.readTree(docs).path("docs").get(1).path("tokens").toString()).doesNotContain("\"the\"");
        }
    }
}

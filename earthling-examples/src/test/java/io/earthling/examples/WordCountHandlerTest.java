package io.earthling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.examples.DemoCorpus.Document;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WordCountHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCountsEqualTheLocalCountOfTheDocument() throws Exception {
        Document doc = DemoCorpus.generate(1, 42).get(0);
        String payload = JSON.createObjectNode().put("doc", doc.name()).put("text", doc.text()).toString();

        JsonNode result = JSON.readTree(new WordCountHandler().handle(new TestContext(1, 1, payload)));

        Map<String, Long> counts = new TreeMap<>();
        result.get("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        assertThat(result.get("doc").asText()).isEqualTo(doc.name());
        assertThat(counts).isEqualTo(DemoCorpus.countLocally(List.of(doc)));
        assertThat(result.get("words").asLong()).isEqualTo(counts.values().stream().mapToLong(n -> n).sum());
    }

    @Test
    void shortWordsAndStopWordsAreNotCounted() throws Exception {
        String payload = "{\"doc\": \"d\", \"text\": \"The cat and the CAT, a dog; it's x-ray!\"}";

        String result = new WordCountHandler().handle(new TestContext(1, 1, payload));

        assertThat(result).isEqualTo("{\"doc\":\"d\",\"words\":4,\"counts\":{\"cat\":2,\"dog\":1,\"ray\":1}}");
    }
}

package io.earthling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.examples.DemoCorpus.Document;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCorpusTest {
    @Test
    void theSameSeedGivesTheSameDocuments() {
        assertThat(DemoCorpus.generate(20, 7)).isEqualTo(DemoCorpus.generate(20, 7));
        assertThat(DemoCorpus.generate(20, 7)).isNotEqualTo(DemoCorpus.generate(20, 8));
    }

    @Test
    void everyDocumentHasTwoToEightHundredWords() {
        for (Document d : DemoCorpus.generate(50, 1)) {
            assertThat(d.text().split("[ ,.]+")).hasSizeBetween(200, 800);
        }
    }

    @Test
    void theTopWordsComeFromTheTopics() {
        Map<String, Long> counts = DemoCorpus.countLocally(DemoCorpus.generate(200, 3));
        List<String> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(5).map(Map.Entry::getKey).toList();

        assertThat(top).allMatch(w -> Vocabulary.TOPICS.stream().anyMatch(t -> t.contains(w)));
        assertThat(counts).doesNotContainKeys("the", "and");
        assertThat(counts.size()).isGreaterThan(1000);
    }
}

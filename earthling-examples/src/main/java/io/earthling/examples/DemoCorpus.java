package io.earthling.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Deterministic made-up documents for the demo: 200-800 words each, drawn Zipf-like from a built-in
 * vocabulary, each document leaning on one topic so the top words of a corpus say something.
 */
public final class DemoCorpus {
    public record Document(String name, String text) {
    }

    private static final String[] STOPS = {"the", "and", "of", "to", "in", "a", "is", "that", "for", "with", "was",
        "on", "as", "by", "this", "from", "they", "at", "be", "it"};

    private DemoCorpus() {
    }

    public static List<Document> generate(int count, long seed) {
        Random random = new Random(seed);
        List<Document> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(document(String.format("doc-%05d", i), random));
        }
        return docs;
    }

    /**
     * Document {@code index} of a corpus drawn one document at a time: each from its own seed, so a job can make
     * its one document without the others.
     */
    public static Document document(int index, long seed) {
        return document(String.format("doc-%05d", index), new Random(seed * 1_000_003L + index));
    }

    /** {@link #document} for indexes 0..count-1. */
    public static List<Document> documents(int count, long seed) {
        List<Document> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(document(i, seed));
        }
        return docs;
    }

    /** The word counts a correct run of {@code wordcount} over {@code docs} adds up to, sorted by word. */
    public static Map<String, Long> countLocally(List<Document> docs) {
        Map<String, Long> total = new TreeMap<>();
        for (Document d : docs) {
            Tokenizer.count(d.text()).forEach((w, n) -> total.merge(w, n, Long::sum));
        }
        return total;
    }

    private static Document document(String name, Random random) {
        List<String> topic = Vocabulary.TOPICS.get(random.nextInt(Vocabulary.TOPICS.size()));
        int words = 200 + random.nextInt(601);
        StringBuilder text = new StringBuilder();
        int sentenceLeft = 0;
        for (int i = 0; i < words; i++) {
            String word = pick(topic, random);
            if (sentenceLeft == 0) {
                if (i > 0) {
                    text.append(". ");
                }
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                sentenceLeft = 6 + random.nextInt(10);
            } else {
                text.append(random.nextInt(12) == 0 ? ", " : " ");
            }
            text.append(word);
            sentenceLeft--;
        }
        return new Document(name, text.append('.').toString());
    }

    private static String pick(List<String> topic, Random random) {
        double r = random.nextDouble();
        if (r < 0.25) {
            return STOPS[Vocabulary.zipfIndex(STOPS.length, 1, random)];
        }
        if (r < 0.60) {
            return topic.get(Vocabulary.zipfIndex(topic.size(), 1, random));
        }
        // A flat head for the general words, so the topics lead the counts of a whole corpus.
        return Vocabulary.WORDS.get(Vocabulary.zipfIndex(Vocabulary.WORDS.size(), 10, random));
    }
}

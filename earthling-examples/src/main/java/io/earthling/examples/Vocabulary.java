package io.earthling.examples;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The demo corpus's words: common words, topical clusters, and a few thousand made-up words. */
final class Vocabulary {
    static final List<List<String>> TOPICS = List.of(
            List.of("crawler", "page", "link", "fetch", "robots", "domain", "sitemap", "frontier", "politeness",
                    "redirect", "anchor", "html", "spider", "url", "queue"),
            List.of("network", "node", "edge", "graph", "centrality", "cluster", "community", "degree", "path",
                    "influence", "betweenness", "hub", "tie", "neighbor", "component"),
            List.of("market", "price", "trade", "stock", "investor", "bond", "yield", "rally", "dividend",
                    "inflation", "currency", "earnings", "broker", "index", "volatility"),
            List.of("weather", "rain", "storm", "cloud", "wind", "forecast", "temperature", "humidity", "snow",
                    "pressure", "thunder", "season", "coast", "flood", "drought"),
            List.of("kitchen", "recipe", "garlic", "onion", "butter", "flour", "oven", "simmer", "spice",
                    "pepper", "noodle", "broth", "sauce", "bread", "salt"));

    private static final String[] COMMON = {"people", "time", "year", "way", "day", "thing", "world", "life",
        "hand", "part", "place", "case", "week", "company", "system", "program", "question", "work", "number",
        "night", "point", "home", "water", "room", "mother", "area", "money", "story", "fact", "month", "lot",
        "right", "study", "book", "eye", "job", "word", "business", "issue", "side", "kind", "head", "house",
        "service", "friend", "father", "power", "hour", "game", "line", "end", "member", "law", "car", "city",
        "community", "name", "president", "team", "minute", "idea", "kid", "body", "information", "back",
        "parent", "face", "others", "level", "office", "door", "health", "person", "art", "war", "history",
        "party", "result", "change", "morning", "reason", "research", "girl", "guy", "moment", "air", "teacher",
        "force", "education", "report", "data", "model", "signal", "window", "river", "stone", "garden"};

    private static final String[] ONSETS = {"b", "br", "c", "ch", "d", "dr", "f", "g", "gl", "h", "k", "l", "m",
        "n", "p", "pl", "r", "s", "sh", "st", "t", "tr", "v", "w", "z"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "oo", "y"};
    private static final String[] CODAS = {"", "", "n", "r", "l", "s", "t", "m", "nd", "rk", "x", "ng"};

    static final List<String> WORDS = build(3000);

    private Vocabulary() {
    }

    /**
     * An index in [0, size), Zipf-Mandelbrot-like: index k about (1+q)/(k+q) as likely as index 0, so a larger
     * {@code q} flattens the head.
     */
    static int zipfIndex(int size, double q, Random random) {
        // Inverse of the continuous approximation of the CDF.
        double u = random.nextDouble();
        int k = (int) Math.floor(q * Math.exp(u * Math.log((size + q) / q)) - q);
        return Math.min(Math.max(k, 0), size - 1);
    }

    private static List<String> build(int size) {
        Set<String> words = new LinkedHashSet<>(List.of(COMMON));
        Random random = new Random(20240601L); // fixed: the vocabulary never changes between runs
        while (words.size() < size) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + random.nextInt(2);
            for (int s = 0; s < syllables; s++) {
                w.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
            }
            w.append(CODAS[random.nextInt(CODAS.length)]);
            if (!Tokenizer.STOP_WORDS.contains(w.toString())) {
                words.add(w.toString());
            }
        }
        return new ArrayList<>(words);
    }
}

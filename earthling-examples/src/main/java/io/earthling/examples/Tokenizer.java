package io.earthling.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Lower-cased words of three letters or more, split on anything that is not a letter, minus stop words. */
public final class Tokenizer {
    private static final Pattern NON_LETTERS = Pattern.compile("[^\\p{L}]+");
    static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "are", "but", "not", "you", "all", "any",
            "can", "had", "her", "was", "one", "our", "out", "has", "have", "his", "how", "its", "may", "new",
            "now", "old", "see", "who", "did", "get", "him", "let", "say", "she", "too", "use", "that", "with",
            "this", "from", "they", "will", "would", "there", "their", "what", "about", "which", "when", "were",
            "been", "than", "them", "then", "these", "into", "some", "such", "also", "more", "most", "very");

    private Tokenizer() {
    }

    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : NON_LETTERS.split(text.toLowerCase(Locale.ROOT))) {
            if (raw.length() >= 3 && !STOP_WORDS.contains(raw)) {
                out.add(raw);
            }
        }
        return out;
    }

    /** Word counts, sorted by word. */
    public static Map<String, Long> count(String text) {
        Map<String, Long> counts = new TreeMap<>();
        tokens(text).forEach(w -> counts.merge(w, 1L, Long::sum));
        return counts;
    }
}

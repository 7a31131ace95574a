package io.earthling.examples;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An undirected graph of terms: two terms are neighbours when they occur within {@code window} tokens of each
 * other in some document at least {@code minCount} times over all documents. Terms and neighbours are sorted,
 * so everything computed from it is the same wherever it is built.
 */
public final class CooccurrenceNetwork {
    private final Map<String, SortedSet<String>> neighbours = new TreeMap<>();

    /** A graph of the given edges (each pair once, either way round); for tests and small inputs. */
    public static CooccurrenceNetwork of(List<List<String>> edges) {
        CooccurrenceNetwork n = new CooccurrenceNetwork();
        edges.forEach(e -> n.connect(e.get(0), e.get(1)));
        return n;
    }

    public static CooccurrenceNetwork build(List<List<String>> documents, int window, int minCount) {
        Map<String, Integer> counts = new TreeMap<>();
        for (List<String> tokens : documents) {
            for (int i = 0; i < tokens.size(); i++) {
                for (int j = i + 1; j < Math.min(tokens.size(), i + window); j++) {
                    String a = tokens.get(i);
                    String b = tokens.get(j);
                    if (!a.equals(b)) {
                        counts.merge(a.compareTo(b) < 0 ? a + " " + b : b + " " + a, 1, Integer::sum);
                    }
                }
            }
        }
        CooccurrenceNetwork n = new CooccurrenceNetwork();
        counts.forEach((pair, c) -> {
            if (c >= minCount) {
                int space = pair.indexOf(' ');
                n.connect(pair.substring(0, space), pair.substring(space + 1));
            }
        });
        return n;
    }

    private void connect(String a, String b) {
        neighbours.computeIfAbsent(a, k -> new TreeSet<>()).add(b);
        neighbours.computeIfAbsent(b, k -> new TreeSet<>()).add(a);
    }

    /** Term to its sorted neighbours, sorted by term. */
    public Map<String, SortedSet<String>> neighbours() {
        return neighbours;
    }

    public int edges() {
        return neighbours.values().stream().mapToInt(SortedSet::size).sum() / 2;
    }
}

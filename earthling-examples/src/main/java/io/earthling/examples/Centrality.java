package io.earthling.examples;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Degree and betweenness centrality of a {@link CooccurrenceNetwork}, and the top terms by either. */
public final class Centrality {
    /** A term and its score. */
    public record Score(String term, double score) {
    }

    private Centrality() {
    }

    public static Map<String, Double> degree(CooccurrenceNetwork n) {
        Map<String, Double> out = new TreeMap<>();
        n.neighbours().forEach((t, ns) -> out.put(t, (double) ns.size()));
        return out;
    }

    /**
     * Brandes' algorithm on the unweighted graph: for each term, the number of shortest paths between two other
     * terms that pass through it (split evenly among equally short paths), each unordered pair counted once.
     */
    public static Map<String, Double> betweenness(CooccurrenceNetwork n) {
        List<String> terms = new ArrayList<>(n.neighbours().keySet());
        Map<String, Integer> index = new HashMap<>();
        terms.forEach(t -> index.put(t, index.size()));
        int[][] adj = new int[terms.size()][];
        for (int v = 0; v < terms.size(); v++) {
            adj[v] = n.neighbours().get(terms.get(v)).stream().mapToInt(index::get).toArray();
        }
        double[] cb = new double[terms.size()];
        for (int s = 0; s < terms.size(); s++) {
            accumulate(s, adj, cb);
        }
        Map<String, Double> out = new TreeMap<>();
        for (int v = 0; v < terms.size(); v++) {
            out.put(terms.get(v), cb[v] / 2);
        }
        return out;
    }

    private static void accumulate(int s, int[][] adj, double[] cb) {
        int size = adj.length;
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<Integer>> preds = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            preds.add(new ArrayList<>());
        }
        long[] sigma = new long[size];
        int[] dist = new int[size];
        java.util.Arrays.fill(dist, -1);
        sigma[s] = 1;
        dist[s] = 0;
        Deque<Integer> queue = new ArrayDeque<>(List.of(s));
        while (!queue.isEmpty()) {
            int v = queue.poll();
            stack.push(v);
            for (int w : adj[v]) {
                if (dist[w] < 0) {
                    dist[w] = dist[v] + 1;
                    queue.add(w);
                }
                if (dist[w] == dist[v] + 1) {
                    sigma[w] += sigma[v];
                    preds.get(w).add(v);
                }
            }
        }
        double[] delta = new double[size];
        while (!stack.isEmpty()) {
            int w = stack.pop();
            for (int v : preds.get(w)) {
                delta[v] += (double) sigma[v] / sigma[w] * (1 + delta[w]);
            }
            if (w != s) {
                cb[w] += delta[w];
            }
        }
    }

    /** The {@code k} highest scores, ties broken by term. */
    public static List<Score> top(Map<String, Double> scores, int k) {
        return scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k).map(e -> new Score(e.getKey(), e.getValue())).toList();
    }
}

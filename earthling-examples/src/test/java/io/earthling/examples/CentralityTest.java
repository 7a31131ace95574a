package io.earthling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CentralityTest {
    // a - b - c - d, and b - e: b lies on a-c, a-d, a-e, c-e, d-e; c on a-d, b-d, e-d.
    private final CooccurrenceNetwork tree = CooccurrenceNetwork.of(List.of(
            List.of("a", "b"), List.of("b", "c"), List.of("c", "d"), List.of("e", "b")));

    @Test
    void degreeCountsDistinctNeighbours() {
        assertThat(Centrality.degree(tree)).isEqualTo(Map.of("a", 1.0, "b", 3.0, "c", 2.0, "d", 1.0, "e", 1.0));
    }

    @Test
    void betweennessCountsTheShortestPathsThroughATermOncePerPair() {
        assertThat(Centrality.betweenness(tree)).isEqualTo(Map.of("a", 0.0, "b", 5.0, "c", 3.0, "d", 0.0, "e", 0.0));
    }

    @Test
    void equallyShortPathsShareTheirPairBetweenTheirMiddleTerms() {
        CooccurrenceNetwork square = CooccurrenceNetwork.of(List.of(
                List.of("a", "b"), List.of("b", "c"), List.of("c", "d"), List.of("d", "a")));

        assertThat(Centrality.betweenness(square)).isEqualTo(Map.of("a", 0.5, "b", 0.5, "c", 0.5, "d", 0.5));
    }

    @Test
    void topTermsAreOrderedByScoreThenByTerm() {
        assertThat(Centrality.top(Centrality.degree(tree), 3)).containsExactly(
                new Centrality.Score("b", 3.0), new Centrality.Score("c", 2.0), new Centrality.Score("a", 1.0));
    }

    @Test
    void termsCoOccurWithinTheWindowAndRarePairsAreDropped() {
        CooccurrenceNetwork n = CooccurrenceNetwork.build(
                List.of(List.of("x", "y", "z", "w"), List.of("x", "y", "w", "w")), 3, 2);

        assertThat(n.neighbours()).containsOnlyKeys("x", "y", "w");
        assertThat(n.neighbours().get("y")).containsExactly("w", "x");
        assertThat(n.edges()).isEqualTo(2);
    }
}

"""The Python analyze stage: the Java stage's network and scores, betweenness checked against networkx."""
import networkx  # Debian: python3-networkx (.ci/run installs it)

from earthling.examples import textmining

DOCS = [
    "crawler page link fetch robots page link crawler domain".split(),
    "network node edge graph node edge centrality graph network".split(),
    "page link crawler network node page link fetch".split(),
    "graph centrality node edge betweenness hub graph centrality".split(),
]


def test_the_network_joins_terms_seen_within_three_tokens_at_least_twice():
    net = textmining.network(DOCS)
    assert net["page"] == ["crawler", "fetch", "link"]
    assert "domain" not in net, "domain meets each neighbour only once"
    assert net["robots"] == ["link"], "robots meets link twice (tokens 2-4 and 4-6), page once"
    assert all(net[t] == sorted(net[t]) for t in net) and list(net) == sorted(net)


def test_betweenness_is_networkx_unnormalised_betweenness():
    net = textmining.network(DOCS * 3 + [["hub", "page", "x", "hub", "page"]] * 2)
    g = networkx.Graph()
    g.add_edges_from((a, b) for a, ns in net.items() for b in ns)
    theirs = networkx.betweenness_centrality(g, normalized=False)
    ours = textmining.betweenness(net)
    assert ours.keys() == theirs.keys()
    assert any(v > 0 for v in ours.values())
    for t in ours:
        assert abs(ours[t] - theirs[t]) < 1e-9, t


def test_the_result_has_the_java_stages_shape_rounded_to_two_decimals_ties_by_term():
    r = textmining.analyze_docs(DOCS)
    assert r["documents"] == 4 and r["terms"] > 0 and r["edges"] > 0
    scores = [e["score"] for e in r["degree"]]
    assert scores == sorted(scores, reverse=True)
    ties = [e["term"] for e in r["degree"] if e["score"] == r["degree"][0]["score"]]
    assert ties == sorted(ties)
    assert textmining._round2(0.125) == 0.13 and textmining._round2(2.5 / 3) == 0.83

"""The text-mining pipeline's ``analyze`` stage in Python, as job type ``analyze-py``.

Input ``{"docs": [{"tokens": [...]}, ...]}`` (the per-document results of ``preprocess``); builds the word
co-occurrence network (terms within 3 tokens of each other, pairs seen at least twice over all documents) and
returns the top 10 terms by degree and by betweenness centrality, scores rounded to 2 decimals: the same result
as the Java stage (``io.earthling.examples.AnalyzeHandler``). Plain Python, in the Java stage's order of work,
so that equal scores stay equal and the ranks match; ``tests/test_textmining.py`` checks the betweenness
against networkx (Debian's python3-networkx).

Select it in the config: ``pipelines: { textmining: { stages: [crawl, preprocess, analyze-py] } }``.
"""

import math
from collections import deque

import earthling

WINDOW = 3
MIN_COUNT = 2


def network(documents, window=WINDOW, min_count=MIN_COUNT):
    """Term -> sorted list of neighbours, terms sorted."""
    counts = {}
    for tokens in documents:
        for i in range(len(tokens)):
            for j in range(i + 1, min(len(tokens), i + window)):
                a, b = tokens[i], tokens[j]
                if a != b:
                    pair = (a, b) if a < b else (b, a)
                    counts[pair] = counts.get(pair, 0) + 1
    neighbours = {}
    for (a, b), c in counts.items():
        if c >= min_count:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    return {t: sorted(neighbours[t]) for t in sorted(neighbours)}


def degree(net):
    return {t: float(len(ns)) for t, ns in net.items()}


def betweenness(net):
    """Brandes on the unweighted graph, each unordered pair counted once."""
    terms = list(net)
    index = {t: i for i, t in enumerate(terms)}
    adj = [[index[n] for n in net[t]] for t in terms]
    cb = [0.0] * len(terms)
    for s in range(len(terms)):
        _accumulate(s, adj, cb)
    return {terms[v]: cb[v] / 2 for v in range(len(terms))}


def _accumulate(s, adj, cb):
    size = len(adj)
    stack = []
    preds = [[] for _ in range(size)]
    sigma = [0] * size
    dist = [-1] * size
    sigma[s] = 1
    dist[s] = 0
    queue = deque([s])
    while queue:
        v = queue.popleft()
        stack.append(v)
        for w in adj[v]:
            if dist[w] < 0:
                dist[w] = dist[v] + 1
                queue.append(w)
            if dist[w] == dist[v] + 1:
                sigma[w] += sigma[v]
                preds[w].append(v)
    delta = [0.0] * size
    while stack:
        w = stack.pop()
        for v in preds[w]:
            delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
        if w != s:
            cb[w] += delta[w]


def top(scores, k=10):
    """The k highest scores, ties broken by term."""
    return sorted(scores.items(), key=lambda e: (-e[1], e[0]))[:k]


def _round2(x):
    return math.floor(x * 100 + 0.5) / 100.0  # Java's Math.round(x * 100) / 100.0


def analyze_docs(docs):
    net = network(docs)
    return {
        "documents": len(docs),
        "terms": len(net),
        "edges": sum(len(ns) for ns in net.values()) // 2,
        "degree": [{"term": t, "score": _round2(s)} for t, s in top(degree(net))],
        "betweenness": [{"term": t, "score": _round2(s)} for t, s in top(betweenness(net))],
    }


@earthling.handler("analyze-py")
def analyze(payload, ctx):
    docs = [[str(t) for t in (d.get("tokens") or [])] for d in (ctx.input.get("docs") or [])]
    ctx.log("analyzing %d documents in Python" % len(docs))
    return analyze_docs(docs)

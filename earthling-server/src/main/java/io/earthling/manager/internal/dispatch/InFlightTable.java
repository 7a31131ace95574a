package io.earthling.manager.internal.dispatch;

import io.earthling.core.ReadyQueues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs this leader has handed to nodes and not yet seen end, with the counts that follow them: a queue's and a
 * concurrency key's running jobs ({@link ReadyQueues#started}) and a node's assigned jobs. Dispatcher thread only.
 */
final class InFlightTable {
    private final Map<Long, InFlight> flights = new HashMap<>();
    private final ReadyQueues ready;
    private final NodeTable nodes;

    InFlightTable(ReadyQueues ready, NodeTable nodes) {
        this.ready = ready;
        this.nodes = nodes;
    }

    InFlight get(long id) {
        return flights.get(id);
    }

    boolean contains(long id) {
        return flights.containsKey(id);
    }

    void track(InFlight f) {
        if (flights.put(f.job.id(), f) == null) {
            ready.started(f.job);
        }
        Node n = nodes.get(f.node);
        if (n != null) {
            n.assigned++;
        }
    }

    InFlight untrack(long id) {
        InFlight f = flights.remove(id);
        if (f != null) {
            ready.ended(f.job);
            Node n = nodes.get(f.node);
            if (n != null) {
                n.assigned--;
            }
        }
        return f;
    }

    /** Moves a job to {@code node} (a registering node confirmed it). */
    void moveTo(InFlight f, String node) {
        untrack(f.job.id());
        f.node = node;
        f.confirmed = true;
        track(f);
    }

    /** The ids of the jobs counted on {@code node}. */
    List<Long> on(String node) {
        List<Long> ids = new ArrayList<>();
        flights.forEach((id, f) -> {
            if (node.equals(f.node)) {
                ids.add(id);
            }
        });
        return ids;
    }

    int countOn(String node) {
        int n = 0;
        for (InFlight f : flights.values()) {
            if (node.equals(f.node)) {
                n++;
            }
        }
        return n;
    }

    Map<Long, InFlight> view() {
        return flights;
    }
}

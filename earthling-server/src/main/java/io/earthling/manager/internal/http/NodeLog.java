package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.protocol.jobs.NodeInfo;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Node events for the dashboard's event log (joined, offline, back, draining, left), found by comparing each reading
 * of the node table with the one before; the newest {@link #KEEP} are kept in memory. SUSPECT (a heartbeat late)
 * counts as ONLINE: it comes and goes with load and would only add noise.
 */
final class NodeLog {
    static final int KEEP = 50;

    record Event(long atMs, String kind, String node, String detail) {
        ObjectNode json() {
            return Views.JSON.createObjectNode().put("atMs", atMs).put("kind", kind).put("node", node).put("detail", detail);
        }
    }

    private final Map<String, String> last = new HashMap<>();
    private final ArrayDeque<Event> events = new ArrayDeque<>();

    /** Compares {@code nodes} with the last reading and records what changed at {@code atMs}. */
    synchronized void observe(List<NodeInfo> nodes, long atMs) {
        Map<String, String> now = new HashMap<>();
        for (NodeInfo n : nodes) {
            String status = n.getStatus().equals("SUSPECT") ? "ONLINE" : n.getStatus();
            now.put(n.getNodeId(), status);
            String before = last.get(n.getNodeId());
            if (before == null) {
                add(atMs, "NODE_JOINED", n.getNodeId(), n.getWorkerCount() + " workers, " + n.getTypesCount()
                        + " job types");
            } else if (!before.equals(status)) {
                switch (status) {
                    case "OFFLINE" -> add(atMs, "NODE_OFFLINE", n.getNodeId(), "missed heartbeats; its jobs run elsewhere");
                    case "DRAINING" -> add(atMs, "NODE_DRAINING", n.getNodeId(), "no new work; running jobs finish");
                    case "ONLINE" -> add(atMs, "NODE_BACK", n.getNodeId(), "back online after " + before.toLowerCase());
                    default -> add(atMs, "NODE_" + status, n.getNodeId(), "was " + before.toLowerCase());
                }
            }
        }
        last.keySet().stream().filter(id -> !now.containsKey(id)).sorted()
                .forEach(id -> add(atMs, "NODE_LEFT", id, "left the cluster"));
        last.clear();
        last.putAll(now);
    }

    private void add(long atMs, String kind, String node, String detail) {
        events.addFirst(new Event(atMs, kind, node, detail));
        while (events.size() > KEEP) {
            events.removeLast();
        }
    }

    /** Newest first. */
    synchronized List<Event> recent() {
        return List.copyOf(events);
    }
}

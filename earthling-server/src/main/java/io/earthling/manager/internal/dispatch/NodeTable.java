package io.earthling.manager.internal.dispatch;

import io.earthling.manager.ManagerSettings;
import io.earthling.protocol.manager.HeartbeatRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The leader's table of assistants: who registered, what they run, how much room they have, who went silent, and
 * where the next job goes. Plain state driven by the dispatcher thread (status calls read it); every time is
 * monotonic milliseconds ({@link io.earthling.core.MonotonicClock}), so a wall-clock step is never a node's silence.
 *
 * <p>A pause is not a partition: when this leader itself did not run for longer than {@link #pauseMs} (a GC pause,
 * SIGSTOP, a stalled VM), the silence it sees is its own, so every online node gets a fresh grace instead of being
 * declared lost (docs/architecture.md, "Failure detection").
 */
public final class NodeTable {
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final ManagerSettings timing;
    /** A gap between two sweeps longer than this means this leader was paused. */
    private final long pauseMs;
    /** Every type any node offered since this leader started: a job of such a type waits for a node, not dies. */
    private final SortedSet<String> everOffered = new TreeSet<>();
    private volatile Set<String> offered = Set.of();
    private volatile Set<String> everOfferedView = Set.of();
    private long lastSweepMs = Long.MIN_VALUE;

    NodeTable(ManagerSettings timing) {
        this.timing = timing;
        this.pauseMs = Math.max(1_000, timing.heartbeatMs());
    }

    /** What a node says of itself when it registers. {@code healthy}: -1 from an assistant too old to say. */
    public record Registration(String id, String address, int port, int workers, int idle, int healthy, int queueSlots,
                        List<String> types, int runningOnWorkers) {
    }

    /**
     * Registers or re-registers a node: a new node, or one that comes back at another address, is made by
     * {@code connect}; the one it replaces goes to {@code replaced}. {@code assignedHere}: the jobs in flight this
     * leader counts on it.
     */
    Node register(Registration r, long nowMs, Function<Registration, Node> connect, Consumer<Node> replaced,
                  int assignedHere) {
        Node node = nodes.get(r.id());
        if (node == null || !node.address.equals(r.address()) || node.port != r.port()) {
            if (node != null) {
                replaced.accept(node);
            }
            node = connect.apply(r);
            node.assigned = assignedHere;
            nodes.put(r.id(), node);
        }
        node.types = Set.copyOf(r.types());
        node.workerCount = r.workers();
        node.capacity = r.healthy() >= 0 ? r.healthy() : r.idle() + r.runningOnWorkers();
        node.queueSlots = r.queueSlots();
        node.blocked = false;
        node.online = true;
        node.lastSeenMs = nowMs;
        node.draining = false;
        refreshTypes();
        return node;
    }

    /** The node's view from its heartbeat; null if it is unknown or offline (it must register again). */
    Node heartbeat(HeartbeatRequest r, long nowMs) {
        Node node = nodes.get(r.getNodeId());
        if (node == null || !node.online) {
            return null;
        }
        node.lastSeenMs = nowMs;
        // A busy worker may hold several quick jobs: busy counts jobs, so only an old assistant's sum is used.
        node.capacity = r.hasHealthyCount() ? r.getHealthyCount() : r.getIdleCount() + r.getBusyCount();
        node.queueSlots = r.getQueueSlots();
        node.blocked = false;
        node.state = r.getState();
        node.broken = r.getBrokenCount();
        node.restarts = r.getRestarts();
        node.overLimit = Placement.check(r.getState(), timing);
        return node;
    }

    /** Stops new deliveries to the node; null if unknown. */
    Node drain(String id) {
        Node node = nodes.get(id);
        if (node != null) {
            node.draining = true;
        }
        return node;
    }

    /** Forgets a node that left; the node, or null if unknown. */
    Node leave(String id) {
        Node node = nodes.remove(id);
        if (node != null) {
            refreshTypes();
        }
        return node;
    }

    /** What a sweep found: the nodes now offline, or that this leader itself had stopped for {@code pausedMs}. */
    record Sweep(List<Node> lost, long pausedMs) {
    }

    /**
     * The nodes that went silent for longer than the node grace, now offline. A sweep that comes more than
     * {@link #pauseMs} after the previous one finds this leader was paused: every online node's grace starts again
     * and none is lost this time.
     */
    Sweep sweep(long nowMs) {
        long last = lastSweepMs;
        lastSweepMs = nowMs;
        if (last != Long.MIN_VALUE && nowMs - last > pauseMs) {
            for (Node n : nodes.values()) {
                n.lastSeenMs = Math.max(n.lastSeenMs, nowMs);
            }
            return new Sweep(List.of(), nowMs - last);
        }
        List<Node> lost = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.online && nowMs - n.lastSeenMs > timing.nodeGraceMs()) {
                n.online = false;
                lost.add(n);
            }
        }
        if (!lost.isEmpty()) {
            refreshTypes();
        }
        return new Sweep(lost, 0);
    }

    /** The node with the most idle workers, then the most room: a job waits behind another only if it must. */
    Node pick(String type) {
        Node best = null;
        for (Node n : nodes.values()) {
            if (n.canTake(type) && (best == null || n.idleEstimate() > best.idleEstimate()
                    || n.idleEstimate() == best.idleEstimate() && n.free() > best.free())) {
                best = n;
            }
        }
        return best;
    }

    boolean anyFree() {
        for (Node n : nodes.values()) {
            if (n.free() > 0) {
                return true;
            }
        }
        return false;
    }

    Node get(String id) {
        return id == null ? null : nodes.get(id);
    }

    Collection<Node> all() {
        return nodes.values();
    }

    boolean isEmpty() {
        return nodes.isEmpty();
    }

    /** The types online nodes run now. */
    Set<String> offered() {
        return offered;
    }

    /** The types any node offered since this leader started, online now or not. */
    Set<String> everOffered() {
        return everOfferedView;
    }

    private void refreshTypes() {
        TreeSet<String> all = new TreeSet<>();
        nodes.values().stream().filter(n -> n.online).forEach(n -> all.addAll(n.types));
        offered = Collections.unmodifiableSortedSet(all);
        if (everOffered.addAll(all)) {
            everOfferedView = Collections.unmodifiableSortedSet(new TreeSet<>(everOffered));
        }
    }
}

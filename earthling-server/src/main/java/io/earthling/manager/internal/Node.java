package io.earthling.manager.internal;

import io.earthling.protocol.EarthlingGrpc;
import io.earthling.protocol.manager.NodeState;
import io.grpc.ManagedChannel;
import java.util.Set;

/** The manager's view of one assistant. Written by the dispatcher thread only; read by status calls. */
final class Node {
    final String id;
    final String address;
    final int port;
    final ManagedChannel channel;
    final EarthlingGrpc.EarthlingStub stub;
    volatile Set<String> types;
    volatile int workerCount;
    /** Healthy workers as the node last reported them (idle + busy). */
    volatile int capacity;
    /** Jobs it may hold waiting for a worker (its prefetch), as it last reported. */
    volatile int queueSlots;
    /** Jobs this manager has handed to the node and not yet seen finish. */
    volatile int assigned;
    /** Set when the node refused a job: its real state differs from ours until its next heartbeat. */
    volatile boolean blocked;
    /** Monotonic ms ({@link io.earthling.core.MonotonicClock}) of its last heartbeat or registration. */
    volatile long lastSeenMs;
    volatile boolean online = true;
    volatile boolean draining;
    volatile long delivered;
    volatile long refused;
    volatile NodeState state = NodeState.getDefaultInstance();
    volatile int broken;
    volatile int restarts;
    /** Why the node gets no new work although online (a placement limit), or null. */
    volatile String overLimit;

    Node(String id, String address, int port, ManagedChannel channel) {
        this.id = id;
        this.address = address;
        this.port = port;
        this.channel = channel;
        this.stub = channel == null ? null : EarthlingGrpc.newStub(channel);
    }

    int free() {
        return online && !blocked && !draining && overLimit == null ? Math.max(0, capacity + queueSlots - assigned) : 0;
    }

    /** Workers probably idle: a job sent here starts at once rather than waiting behind another. */
    int idleEstimate() {
        return free() > 0 ? Math.max(0, capacity - assigned) : 0;
    }

    /** ONLINE, SUSPECT (a heartbeat late), DRAINING or OFFLINE. */
    String status(long nowMs, long heartbeatMs) {
        if (!online) {
            return "OFFLINE";
        }
        if (draining) {
            return "DRAINING";
        }
        return nowMs - lastSeenMs > heartbeatMs * 3 / 2 ? "SUSPECT" : "ONLINE";
    }

    /** Why it gets no new work, or "" if it gets work. */
    String reason() {
        if (!online) {
            return "offline: missed heartbeats";
        }
        if (draining) {
            return "draining";
        }
        if (overLimit != null) {
            return overLimit;
        }
        if (capacity == 0) {
            return broken > 0 ? "no healthy worker (" + broken + " broken)" : "no healthy worker";
        }
        return "";
    }

    boolean canTake(String type) {
        return free() > 0 && types.contains(type);
    }
}

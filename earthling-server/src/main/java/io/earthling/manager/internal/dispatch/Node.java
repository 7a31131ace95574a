package io.earthling.manager.internal.dispatch;

import io.earthling.protocol.EarthlingGrpc;
import io.earthling.protocol.manager.NodeState;
import io.grpc.ManagedChannel;
import java.util.Set;
import java.util.function.Function;

/** The manager's view of one assistant. Written by the dispatcher thread only; read by status calls. */
public final class Node {
    public final String id;
    final String address;
    final int port;
    final ManagedChannel channel;
    final EarthlingGrpc.EarthlingStub stub;
    public volatile Set<String> types;
    public volatile int workerCount;
    /** Healthy workers as the node last reported them (idle + busy). */
    volatile int capacity;
    /** Jobs it may hold waiting for a worker (its prefetch), as it last reported. */
    volatile int queueSlots;
    /** Jobs this manager has handed to the node and not yet seen finish. */
    public volatile int assigned;
    /** Set when the node refused a job: its real state differs from ours until its next heartbeat. */
    volatile boolean blocked;
    /** Monotonic ms ({@link io.earthling.core.MonotonicClock}) of its last heartbeat or registration. */
    public volatile long lastSeenMs;
    volatile boolean online = true;
    volatile boolean draining;
    public volatile long delivered;
    public volatile long refused;
    public volatile NodeState state = NodeState.getDefaultInstance();
    public volatile int broken;
    public volatile int restarts;
    /** Why the node gets no new work although online (a placement limit), or null. */
    volatile String overLimit;

    Node(String id, String address, int port, ManagedChannel channel) {
        this.id = id;
        this.address = address;
        this.port = port;
        this.channel = channel;
        this.stub = channel == null ? null : EarthlingGrpc.newStub(channel);
    }

    /** A node as registered, with its own channel from {@code channels} ({@code host:port} to channel). */
    static Node connect(NodeTable.Registration r, Function<String, ManagedChannel> channels) {
        return new Node(r.id(), r.address(), r.port(), channels.apply(r.address() + ":" + r.port()));
    }

    /** Closes the channel to a node that left or came back at another address. */
    void disconnect() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    int free() {
        return online && !blocked && !draining && overLimit == null ? Math.max(0, capacity + queueSlots - assigned) : 0;
    }

    /** Workers probably idle: a job sent here starts at once rather than waiting behind another. */
    public int idleEstimate() {
        return free() > 0 ? Math.max(0, capacity - assigned) : 0;
    }

    /** ONLINE, SUSPECT (a heartbeat late), DRAINING or OFFLINE. */
    public String status(long nowMs, long heartbeatMs) {
        if (!online) {
            return "OFFLINE";
        }
        if (draining) {
            return "DRAINING";
        }
        return nowMs - lastSeenMs > heartbeatMs * 3 / 2 ? "SUSPECT" : "ONLINE";
    }

    /** Why it gets no new work, or "" if it gets work. */
    public String reason() {
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

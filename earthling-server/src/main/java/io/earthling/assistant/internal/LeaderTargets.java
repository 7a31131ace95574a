package io.earthling.assistant.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Which managers a registration asks, in order: the leader as last known (from a registration, or named by a
 * standby that refused one, from its lease row) first, then the configured managers in their order. A leader
 * that stopped answering is asked last (and briefly) until a registration with it succeeds again: while its lease
 * runs out the standbys still name it, and the one that takes over must not wait behind it.
 */
final class LeaderTargets {
    private final List<String> managers;
    private volatile String leader;
    private volatile String silent;

    LeaderTargets(List<String> managers) {
        this.managers = List.copyOf(managers);
    }

    /** {@code target} ({@code host:port}) leads, as far as this node knows; empty or null: no idea. */
    void leaderIs(String target) {
        leader = target == null || target.isEmpty() || target.equals(silent) ? null : target;
    }

    /** A registration with {@code target} succeeded: it answers again. */
    void registeredWith(String target) {
        silent = null;
        leader = target;
    }

    /** {@code target}, the leader, stopped answering. */
    void silent(String target) {
        silent = target;
        if (target.equals(leader)) {
            leader = null;
        }
    }

    /** Whether {@code target} is the leader that stopped answering (ask it with a short deadline). */
    boolean isSilent(String target) {
        return target.equals(silent);
    }

    String leader() {
        return leader;
    }

    List<String> order() {
        String l = leader;
        String s = silent;
        List<String> order = new ArrayList<>(managers.size() + 2);
        if (l != null) {
            order.add(l);
        }
        managers.stream().filter(m -> !m.equals(l) && !m.equals(s)).forEach(order::add);
        if (s != null) {
            order.add(s);
        }
        return order;
    }
}

package io.earthling.assistant.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Which managers a registration asks, in order: the leader as last known (from a registration, or named by a
 * standby that refused one, from its lease row) first, then the configured managers in their order.
 */
final class LeaderTargets {
    private final List<String> managers;
    private volatile String leader;

    LeaderTargets(List<String> managers) {
        this.managers = List.copyOf(managers);
    }

    /** {@code target} ({@code host:port}) leads, as far as this node knows; empty or null: no idea. */
    void leaderIs(String target) {
        leader = target == null || target.isEmpty() ? null : target;
    }

    String leader() {
        return leader;
    }

    List<String> order() {
        String l = leader;
        if (l == null) {
            return managers;
        }
        List<String> order = new ArrayList<>(managers.size() + 1);
        order.add(l);
        managers.stream().filter(m -> !m.equals(l)).forEach(order::add);
        return order;
    }
}

package io.earthling.manager.internal.api;

/**
 * How a manager that does not lead refuses leader-only calls: {@link Refusal.Reason#UNAVAILABLE} (clients retry it), naming
 * this manager and, when the lease row says so, the leader to ask instead.
 */
public final class NotLeader {
    private final String self;
    private volatile String leader;

    public NotLeader(String self) {
        this.self = self;
    }

    /** The lease row's holder as last read ({@code host:port}), or null when no lease is held. */
    public void leaderIs(String holder) {
        this.leader = holder;
    }

    /** Another manager that leads, as {@code host:port}; null when none is known (or the lease row names us). */
    public String leader() {
        String l = leader;
        return l == null || l.equals(self) ? null : l;
    }

    /** Why this manager does not serve a leader-only call, and whom to ask. */
    public String message() {
        String l = leader();
        return "this manager (" + self + ") is not the leader; "
                + (l == null ? "no leader is known yet (an election may be under way): retry shortly"
                        : "the leader is " + l);
    }

    public Refusal refusal() {
        return Refusal.unavailable(message());
    }
}

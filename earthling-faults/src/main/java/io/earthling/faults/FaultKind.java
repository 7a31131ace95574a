package io.earthling.faults;

/** The faults the harness injects, each as an operator or the operating system would cause it. */
public enum FaultKind {
    /** {@code kill -9} of the lease holder; restarted (as an operator would) once the lease TTL and 2 s passed. */
    LEADER_KILL,
    /** SIGSTOP of the lease holder for the lease TTL + 2 s, then SIGCONT: it resumes believing it still leads. */
    LEADER_STOP_PAST_TTL,
    /** As {@link #LEADER_STOP_PAST_TTL}, but stopped while one of its database sessions has a transaction open. */
    LEADER_STOP_IN_TRANSACTION,
    /** SIGSTOP of the lease holder for 3 s, then SIGCONT (a GC pause, a VM hiccup): shorter than the TTL. */
    LEADER_PAUSE,
    /** {@code kill -9} of an assistant (its workers exit with it); restarted 2 s later. */
    ASSISTANT_KILL,
    /** SIGSTOP of an assistant and its worker processes (a frozen node) for 2-5 s, then SIGCONT. */
    ASSISTANT_PAUSE,
    /** {@code kill -9} of one serving worker process; its assistant restarts it. */
    WORKER_KILL,
    /** The run's database refuses connections for 3-5 s, its open sessions terminated. */
    DB_REFUSE,
    /**
     * Every database session of the run but the monitor's terminated ({@code pg_terminate_backend}) every 300 ms for
     * 3-5 s, new sessions allowed: a failover proxy, an operator's script, an idle-session killer.
     */
    DB_TERMINATE,
    /**
     * The wall clock of the lease holder, or of an assistant and its workers, stepped by 3-8 s forward or back for
     * 4-8 s, then stepped back (as NTP would), while their monotonic clock runs true: {@link Clocks}.
     */
    CLOCK_STEP;

    /** How long the fault lasts (until healed or restarted) for a lease of {@code ttlMs}. */
    long durationMs(java.util.Random r, long ttlMs) {
        return switch (this) {
            case LEADER_KILL, LEADER_STOP_PAST_TTL, LEADER_STOP_IN_TRANSACTION -> ttlMs + 2_000;
            case LEADER_PAUSE -> 3_000;
            case ASSISTANT_KILL -> 2_000;
            case ASSISTANT_PAUSE -> 2_000 + r.nextInt(3_001);
            case WORKER_KILL -> 0;
            case DB_REFUSE, DB_TERMINATE -> 3_000 + r.nextInt(2_001);
            case CLOCK_STEP -> 4_000 + r.nextInt(4_001);
        };
    }

    boolean onLeader() {
        return this == LEADER_KILL || this == LEADER_STOP_PAST_TTL || this == LEADER_STOP_IN_TRANSACTION
                || this == LEADER_PAUSE;
    }
}

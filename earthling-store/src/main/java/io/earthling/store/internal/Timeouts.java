package io.earthling.store.internal;

/**
 * The PostgreSQL timeouts that keep a stopped or partitioned leader from holding the lease row, and so the
 * standby, off for longer than the lease's time to live plus about two seconds (docs/operations.md, "Timing
 * contract").
 *
 * <p>A leader's fenced write locks the lease row {@code FOR SHARE} until it commits. Stopped inside that
 * transaction (SIGSTOP, a long GC pause, a partition after its last statement) its session sits "idle in
 * transaction": {@link #IDLE_IN_TRANSACTION_MS} later PostgreSQL ends the session, the transaction rolls back and
 * the lock is gone. The takeover waits for the lock at most {@link #TAKEOVER_LOCK_MS}, longer than that, so a
 * standby that asks once the lease expired gets it as soon as the holder's session ends; a lock held by a statement
 * still running is waited out at most {@link #STATEMENT_MS}. Server-side keepalives end the session of a client
 * that vanished mid-statement in about {@code idle + interval * count} seconds; the client's {@link #SOCKET_S}
 * fails a call the database never answers, so a partitioned leader steps down instead of hanging.
 */
final class Timeouts {
    /** A session idle inside a transaction this long is ended by PostgreSQL (its locks go with it). */
    static final long IDLE_IN_TRANSACTION_MS = 1_500;
    /** The takeover UPDATE waits this long for the lease row at most, then the standby tries again. */
    static final long TAKEOVER_LOCK_MS = 2_000;
    /** No statement of the manager's runs longer (migrations excepted). */
    static final long STATEMENT_MS = 25_000;
    /** The client gives up on a database that sends nothing for this long (pgjdbc {@code socketTimeout}). */
    static final int SOCKET_S = 30;
    /** Server-side TCP keepalives of each session: first probe after, between probes, probes lost. */
    static final int KEEPALIVE_IDLE_S = 5;
    static final int KEEPALIVE_INTERVAL_S = 2;
    static final int KEEPALIVE_COUNT = 3;

    private Timeouts() {
    }

    /** What every pooled PostgreSQL session of the manager runs once, when it is opened. */
    static String postgresSession() {
        return "SET idle_in_transaction_session_timeout = " + IDLE_IN_TRANSACTION_MS
                + "; SET statement_timeout = " + STATEMENT_MS
                + "; SET tcp_keepalives_idle = " + KEEPALIVE_IDLE_S
                + "; SET tcp_keepalives_interval = " + KEEPALIVE_INTERVAL_S
                + "; SET tcp_keepalives_count = " + KEEPALIVE_COUNT;
    }
}

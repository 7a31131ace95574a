package io.earthling.store;

import io.earthling.store.internal.JdbcStore;

/** An open, migrated database: H2 (embedded default) or PostgreSQL, chosen by the JDBC URL. */
public interface Store extends AutoCloseable {

    /**
     * Connects (a small pool), migrates the schema with Flyway, and returns the store. Throws
     * {@link StoreUnavailableException} with one clear line if the database cannot be reached.
     */
    static Store open(StoreSettings settings) {
        return JdbcStore.open(settings);
    }

    JobStore jobs();

    LeaderLease lease();

    /** The nodes the leader last knew (docs/architecture.md, "Takeover"). */
    NodeRoster roster();

    QueueStates queues();

    ScheduleStore schedules();

    SplitStore splits();
    /** What each job attempt logged. */
    JobLogs logs();

    /** The API tokens, as digests (issue #16, item 3). */
    TokenStore tokens();

    /** A listener for rows other systems insert; on H2 it never signals and the manager relies on its sweep. */
    ExternalInserts listenForExternalInserts();

    /** True if {@link #listenForExternalInserts()} gives real signals (PostgreSQL). */
    boolean notifiesExternalInserts();

    /** E.g. "PostgreSQL 15.20 at jdbc:postgresql://127.0.0.1:5432/test". */
    String describe();

    @Override
    void close();
}

package io.earthling.store.internal;

/** The few places where H2 and PostgreSQL need different SQL or setup. */
enum Dialect {
    // H2 indexes (picked_up, id); PostgreSQL has a partial index WHERE NOT picked_up.
    // H2 runs in the manager's process (a stopped manager stops its database too) and waits at most its session's
    // LOCK_TIMEOUT; PostgreSQL gets a bound on the takeover's wait (see Timeouts).
    H2("classpath:db/migration/h2", "FOR UPDATE", "picked_up = FALSE", null),
    POSTGRESQL("classpath:db/migration/postgresql", "FOR SHARE", "NOT picked_up",
            "SET LOCAL lock_timeout = " + Timeouts.TAKEOVER_LOCK_MS);

    private final String migrations;
    private final String fenceLock;
    private final String notPickedUp;
    private final String beforeTakeover;

    Dialect(String migrations, String fenceLock, String notPickedUp, String beforeTakeover) {
        this.beforeTakeover = beforeTakeover;
        this.migrations = migrations;
        this.fenceLock = fenceLock;
        this.notPickedUp = notPickedUp;
    }

    String notPickedUp() {
        return notPickedUp;
    }

    static Dialect of(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL (want jdbc:h2:... or jdbc:postgresql:...): "
                + Urls.redact(url));
    }

    String migrations() {
        return migrations;
    }

    /**
     * How a write locks the lease row for its fencing check. PostgreSQL lets concurrent writers share it while
     * a takeover waits; H2 has no FOR SHARE.
     */
    String fenceLock() {
        return fenceLock;
    }

    /**
     * What the takeover's transaction runs before it updates the lease row (null: nothing): a bound on how long it
     * waits for the row lock a stopped leader's fenced write may hold.
     */
    String beforeTakeover() {
        return beforeTakeover;
    }
}

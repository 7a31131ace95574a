package io.earthling.store.internal;

/** The few places where H2 and PostgreSQL need different SQL or setup. */
enum Dialect {
    // H2 indexes (picked_up, id); PostgreSQL has a partial index WHERE NOT picked_up.
    H2("classpath:db/migration/h2", "FOR UPDATE", "picked_up = FALSE"),
    POSTGRESQL("classpath:db/migration/postgresql", "FOR SHARE", "NOT picked_up");

    private final String migrations;
    private final String fenceLock;
    private final String notPickedUp;

    Dialect(String migrations, String fenceLock, String notPickedUp) {
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
}

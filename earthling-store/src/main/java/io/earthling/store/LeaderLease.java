package io.earthling.store;

import java.time.Duration;
import java.util.OptionalLong;

/** The {@code manager_lease} row, timed by the database clock. */
public interface LeaderLease {

    /**
     * Takes the lease if it is free, expired, or already held by {@code holder}; a new holding bumps the epoch.
     * Returns the epoch this holder now leads with, or empty if another manager holds it.
     */
    OptionalLong tryAcquire(String holder, Duration ttl);

    /** Extends the lease; false if it was lost (expired and taken, or the epoch moved on). */
    boolean renew(String holder, long epoch, Duration ttl);

    /** Gives the lease up so a standby can take it at once. */
    void release(String holder, long epoch);

    /** The current leader's holder name and epoch, if any holds an unexpired lease. */
    java.util.Optional<Holder> current();

    /**
     * The current holding with how long it still runs by the database clock, if any holds an unexpired lease: a
     * standby asks again when it expires instead of on a fixed period.
     */
    java.util.Optional<Holding> holding();

    record Holder(String holder, long epoch) {
    }

    /** A holder, its epoch and the milliseconds until its lease expires (database clock). */
    record Holding(String holder, long epoch, long expiresInMs) {
    }
}

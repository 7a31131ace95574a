package io.earthling.config;

/**
 * Intervals and graces of the cluster, in milliseconds; {@code typeWaitMs}: how long a job may wait for a node that
 * runs its type (one offered before) before it ends DEAD.
 */
public record Timing(long heartbeatMs, long nodeGraceMs, long reconcileGraceMs, long sweepMs, long leaseTtlMs,
                     long typeWaitMs) {
    public static final long DEFAULT_TYPE_WAIT_MS = 3_600_000;

    public Timing(long heartbeatMs, long nodeGraceMs, long reconcileGraceMs, long sweepMs, long leaseTtlMs) {
        this(heartbeatMs, nodeGraceMs, reconcileGraceMs, sweepMs, leaseTtlMs, DEFAULT_TYPE_WAIT_MS);
    }
}

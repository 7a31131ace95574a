package io.earthling.config;

/** Intervals and graces of the cluster, in milliseconds. */
public record Timing(long heartbeatMs, long nodeGraceMs, long reconcileGraceMs, long sweepMs, long leaseTtlMs) {
}

package io.earthling.manager;

import io.earthling.core.QueueLimits;
import java.util.Map;

/**
 * What a manager needs: where it listens, its database, its intervals (ms), intake limits, and the node state
 * under which a node gets no new work, each configured queue's share and limits, and the attempts per job type.
 */
public record ManagerSettings(String address, int port, String storeUrl, String storeUser, String storePassword,
                              int storePool, long heartbeatMs, long nodeGraceMs, long reconcileGraceMs, long sweepMs,
                              long leaseTtlMs, int maxPayloadBytes, int maxBatch, long minMemoryBytes,
                              long minDiskBytes, double maxCpuLoad, Map<String, QueueLimits> queues,
                              Map<String, Integer> typeMaxAttempts, int maxResultBytes, int maxQueuedInserts,
                              long typeWaitMs, InputLimits input, io.earthling.core.Retention retention) {
    /** A function job's stored result is at most this long (UTF-8 bytes) unless configured otherwise. */
    public static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;
    /** New jobs that may wait for the writer before intake answers "busy, retry" (limits.maxQueuedInserts). */
    public static final int DEFAULT_MAX_QUEUED_INSERTS = 50_000;
    /** How long a job may wait for a node of its type (one offered before) before it ends DEAD (timing.typeWaitMs). */
    public static final long DEFAULT_TYPE_WAIT_MS = 3_600_000;

    public ManagerSettings {
        queues = Map.copyOf(queues);
        typeMaxAttempts = Map.copyOf(typeMaxAttempts);
    }

    public ManagerSettings(String address, int port, String storeUrl, String storeUser, String storePassword,
                           int storePool, long heartbeatMs, long nodeGraceMs, long reconcileGraceMs, long sweepMs,
                           long leaseTtlMs, int maxPayloadBytes, int maxBatch, long minMemoryBytes,
                           long minDiskBytes, double maxCpuLoad, Map<String, QueueLimits> queues,
                           Map<String, Integer> typeMaxAttempts, int maxResultBytes, int maxQueuedInserts,
                           long typeWaitMs) {
        this(address, port, storeUrl, storeUser, storePassword, storePool, heartbeatMs, nodeGraceMs, reconcileGraceMs,
                sweepMs, leaseTtlMs, maxPayloadBytes, maxBatch, minMemoryBytes, minDiskBytes, maxCpuLoad, queues,
                typeMaxAttempts, maxResultBytes, maxQueuedInserts, typeWaitMs, InputLimits.DEFAULT,
                io.earthling.core.Retention.DEFAULT);
    }

    public ManagerSettings(String address, int port, String storeUrl, String storeUser, String storePassword,
                           int storePool, long heartbeatMs, long nodeGraceMs, long reconcileGraceMs, long sweepMs,
                           long leaseTtlMs, int maxPayloadBytes, int maxBatch, long minMemoryBytes,
                           long minDiskBytes, double maxCpuLoad, Map<String, QueueLimits> queues,
                           Map<String, Integer> typeMaxAttempts) {
        this(address, port, storeUrl, storeUser, storePassword, storePool, heartbeatMs, nodeGraceMs, reconcileGraceMs,
                sweepMs, leaseTtlMs, maxPayloadBytes, maxBatch, minMemoryBytes, minDiskBytes, maxCpuLoad, queues,
                typeMaxAttempts, DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_QUEUED_INSERTS, DEFAULT_TYPE_WAIT_MS);
    }

    public ManagerSettings withMaxResultBytes(int bytes) {
        return new ManagerSettings(address, port, storeUrl, storeUser, storePassword, storePool, heartbeatMs,
                nodeGraceMs, reconcileGraceMs, sweepMs, leaseTtlMs, maxPayloadBytes, maxBatch, minMemoryBytes,
                minDiskBytes, maxCpuLoad, queues, typeMaxAttempts, bytes, maxQueuedInserts, typeWaitMs, input, retention);
    }

    public ManagerSettings withMaxQueuedInserts(int jobs) {
        return new ManagerSettings(address, port, storeUrl, storeUser, storePassword, storePool, heartbeatMs,
                nodeGraceMs, reconcileGraceMs, sweepMs, leaseTtlMs, maxPayloadBytes, maxBatch, minMemoryBytes,
                minDiskBytes, maxCpuLoad, queues, typeMaxAttempts, maxResultBytes, jobs, typeWaitMs, input, retention);
    }

    public ManagerSettings withTypeWaitMs(long ms) {
        return new ManagerSettings(address, port, storeUrl, storeUser, storePassword, storePool, heartbeatMs,
                nodeGraceMs, reconcileGraceMs, sweepMs, leaseTtlMs, maxPayloadBytes, maxBatch, minMemoryBytes,
                minDiskBytes, maxCpuLoad, queues, typeMaxAttempts, maxResultBytes, maxQueuedInserts, ms, input, retention);
    }

    public ManagerSettings withInputLimits(InputLimits limits) {
        return new ManagerSettings(address, port, storeUrl, storeUser, storePassword, storePool, heartbeatMs,
                nodeGraceMs, reconcileGraceMs, sweepMs, leaseTtlMs, maxPayloadBytes, maxBatch, minMemoryBytes,
                minDiskBytes, maxCpuLoad, queues, typeMaxAttempts, maxResultBytes, maxQueuedInserts, typeWaitMs, limits, retention);
    }

    /** How long finished jobs are kept (config {@code retention}); {@link io.earthling.core.Retention#KEEP_ALL}: forever. */
    public ManagerSettings withRetention(io.earthling.core.Retention r) {
        return new ManagerSettings(address, port, storeUrl, storeUser, storePassword, storePool, heartbeatMs,
                nodeGraceMs, reconcileGraceMs, sweepMs, leaseTtlMs, maxPayloadBytes, maxBatch, minMemoryBytes,
                minDiskBytes, maxCpuLoad, queues, typeMaxAttempts, maxResultBytes, maxQueuedInserts, typeWaitMs, input, r);
    }

    public String self() {
        return address + ":" + port;
    }
}

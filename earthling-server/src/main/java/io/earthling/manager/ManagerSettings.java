package io.earthling.manager;

/**
 * What a manager needs: where it listens, its database, its intervals (ms), intake limits, and the node state
 * under which a node gets no new work.
 */
public record ManagerSettings(String address, int port, String storeUrl, String storeUser, String storePassword,
                              int storePool, long heartbeatMs, long nodeGraceMs, long reconcileGraceMs, long sweepMs,
                              long leaseTtlMs, int maxPayloadBytes, int maxBatch, long minMemoryBytes,
                              long minDiskBytes, double maxCpuLoad) {

    public String self() {
        return address + ":" + port;
    }
}

package io.earthling.config;

/**
 * Limits under which a node gets no new work until it recovers: memory or disk (data dir) available below a
 * floor, CPU busy above a ceiling (100 = no ceiling).
 */
public record Placement(long minMemoryMb, long minDiskMb, int maxCpuPercent) {
}

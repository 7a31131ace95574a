package io.earthling.config;

/**
 * A named queue's share of capacity (weight), its limit of jobs running at once and of jobs started per second
 * (0 = no limit).
 */
public record QueueConfig(int weight, int concurrency, int rate) {
}

package io.earthling.config;

/** A named queue's share of capacity (weight) and its limit of jobs running at once (0 = no limit). */
public record QueueConfig(int weight, int concurrency) {
}

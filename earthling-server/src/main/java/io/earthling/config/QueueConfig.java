package io.earthling.config;

/**
 * A named queue's share of capacity (weight), its limit of jobs running at once and of jobs started per second
 * (0 = no limit), and the attempts its jobs get unless they say (0 = the default, 3).
 */
public record QueueConfig(int weight, int concurrency, int rate, int maxAttempts) {

    public QueueConfig(int weight, int concurrency, int rate) {
        this(weight, concurrency, rate, 0);
    }

}

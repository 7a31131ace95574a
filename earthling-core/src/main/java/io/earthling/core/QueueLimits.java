package io.earthling.core;

/**
 * How a named queue shares the workers: its {@code weight} against other queues with ready jobs, at most
 * {@code concurrency} jobs of it running at once (0 = no limit), at most {@code ratePerSecond} jobs of it started
 * per second (0 = no limit); and {@code maxAttempts}, the attempts its jobs get unless they say (0 = the default).
 */
public record QueueLimits(int weight, int concurrency, double ratePerSecond, int maxAttempts) {
    public static final QueueLimits DEFAULT = new QueueLimits(1, 0, 0);

    public QueueLimits {
        if (weight < 1 || concurrency < 0 || ratePerSecond < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException("weight must be at least 1; concurrency, rate, maxAttempts not negative");
        }
    }

    public QueueLimits(int weight, int concurrency, double ratePerSecond) {
        this(weight, concurrency, ratePerSecond, 0);
    }
}

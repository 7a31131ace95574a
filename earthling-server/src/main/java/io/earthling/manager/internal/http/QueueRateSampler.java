package io.earthling.manager.internal.http;

import io.earthling.core.MonotonicClock;
import io.earthling.lifecycle.BackgroundLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every few seconds: samples the job counters into {@link QueueRates} (the per-queue rates) and {@link History} (the
 * charts, with each queue's depth from {@code depth}), and runs {@code alsoEach} (the node log's reading).
 */
final class QueueRateSampler extends BackgroundLoop {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final QueueRates rates;
    private final History history;
    private final Supplier<Map<String, Long>> depth;
    private final Runnable alsoEach;
    private final Clock wall;

    QueueRateSampler(QueueRates rates, History history, Supplier<Map<String, Long>> depth, Runnable alsoEach,
                     Clock wall, MonotonicClock clock) {
        super("earthling-http-rates", clock, EVERY);
        this.rates = rates;
        this.history = history;
        this.depth = depth;
        this.alsoEach = alsoEach;
        this.wall = wall;
    }

    @Override
    protected Duration iterate() {
        rates.sample();
        history.sample(wall.millis(), depth.get());
        alsoEach.run();
        return EVERY;
    }
}

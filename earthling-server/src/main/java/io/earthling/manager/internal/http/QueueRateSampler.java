package io.earthling.manager.internal.http;

import io.earthling.core.MonotonicClock;
import io.earthling.lifecycle.BackgroundLoop;
import java.time.Duration;

/** Samples the job counters into {@link QueueRates} every few seconds, for the dashboard's per-queue rates. */
final class QueueRateSampler extends BackgroundLoop {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final QueueRates rates;

    QueueRateSampler(QueueRates rates, MonotonicClock clock) {
        super("earthling-http-rates", clock, EVERY);
        this.rates = rates;
    }

    @Override
    protected Duration iterate() {
        rates.sample();
        return EVERY;
    }
}

package io.earthling.manager.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Rates over the samples' own clock, moved by hand: no waiting for real seconds. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueueRatesTest {
    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final QueueRates rates = new QueueRates(registry, nanos::get);

    @Test
    void a_queues_rates_are_its_counters_growth_over_the_time_between_samples() {
        rates.sample();
        submitted("mail").increment(50);
        succeeded("mail").increment(20);
        advance(Duration.ofSeconds(10));
        rates.sample();

        assertThat(rates.perSecond("mail")).containsExactly(5.0, 2.0);
        assertThat(rates.perSecond("other")).containsExactly(0.0, 0.0);
    }

    @Test
    void samples_older_than_a_minute_leave_the_window() {
        rates.sample();
        submitted("mail").increment(600);
        advance(Duration.ofSeconds(60));
        rates.sample();
        advance(Duration.ofSeconds(5));
        rates.sample();

        assertThat(rates.perSecond("mail")).as("only the last 5 s, with nothing new").containsExactly(0.0, 0.0);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private Counter submitted(String queue) {
        return registry.counter("earthling.jobs.submitted", "queue", queue, "type", "noop");
    }

    private Counter succeeded(String queue) {
        return registry.counter("earthling.jobs.succeeded", "queue", queue, "type", "noop");
    }
}

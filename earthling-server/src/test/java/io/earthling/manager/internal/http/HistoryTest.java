package io.earthling.manager.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The charts' history: counters' growth between samples as rates per queue and type, depth, p99 pickup, one hour. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HistoryTest {
    /** The manager's registry kind: its histograms count cumulatively, which the p99 per interval relies on. */
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final History history = new History(registry);

    @Test
    void each_point_holds_the_rates_since_the_one_before_per_queue_per_type_and_in_total() {
        history.sample(0, Map.of());
        counter("submitted", "mail", "echo").increment(50);
        counter("submitted", "batch", "sleep").increment(30);
        counter("succeeded", "mail", "echo").increment(20);
        counter("failed", "batch", "sleep").increment(5);
        counter("dead", "batch", "sleep").increment(5);
        history.sample(10_000, Map.of("mail", 7L, "batch", 3L));

        JsonNode h = history.json(0);
        assertThat(h.get("atMs")).hasSize(1);
        assertThat(h.get("queues").get("mail").get("in").get(0).asDouble()).isEqualTo(5.0);
        assertThat(h.get("queues").get("mail").get("out").get(0).asDouble()).isEqualTo(2.0);
        assertThat(h.get("queues").get("mail").get("depth").get(0).asLong()).isEqualTo(7);
        assertThat(h.get("types").get("sleep").get("failed").get(0).asDouble()).as("failed attempts and dead jobs").isEqualTo(1.0);
        assertThat(h.get("types").get("sleep").get("out").get(0).asDouble()).as("a dead job ended").isEqualTo(0.5);
        assertThat(h.get("total").get("in").get(0).asDouble()).isEqualTo(8.0);
        assertThat(h.get("total").get("depth").get(0).asLong()).isEqualTo(10);
    }

    @Test
    void the_p99_pickup_is_of_the_jobs_picked_up_since_the_last_sample_only() {
        // As JobMetrics registers it.
        Timer pickup = Timer.builder("earthling.pickup.latency").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        for (int i = 0; i < 100; i++) {
            pickup.record(Duration.ofMillis(5_000)); // an old backlog, picked up slowly
        }
        history.sample(0, Map.of());
        for (int i = 0; i < 100; i++) {
            pickup.record(Duration.ofMillis(3));
        }
        history.sample(5_000, Map.of());
        history.sample(10_000, Map.of());

        JsonNode p99 = history.json(0).get("p99PickupMs");
        assertThat(p99.get(0).asDouble()).isBetween(3.0, 10.0);
        assertThat(p99.get(1).isNull()).as("nothing picked up in the second interval").isTrue();
    }

    @Test
    void points_older_than_an_hour_are_dropped() {
        history.sample(0, Map.of());
        history.sample(5_000, Map.of());
        history.sample(History.KEEP_MS + 10_000, Map.of());

        assertThat(history.json(0).get("atMs")).extracting(JsonNode::asLong).containsExactly(History.KEEP_MS + 10_000);
    }

    private Counter counter(String outcome, String queue, String type) {
        return registry.counter("earthling.jobs." + outcome, "queue", queue, "type", type);
    }
}

package io.earthling.manager.internal.write;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Counts DB batches and their sizes, so the batching we get is measured, not assumed. */
public final class BatchStats {
    private final LongAdder batches = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private volatile DistributionSummary sizes;
    private volatile Timer commits;

    void record(int size, long elapsedNanos) {
        batches.increment();
        items.add(size);
        nanos.add(elapsedNanos);
        DistributionSummary s = sizes;
        if (s != null) {
            s.record(size);
            commits.record(elapsedNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Also records each batch's size and commit time in {@code registry}. */
    public void observe(MeterRegistry registry) {
        commits = Timer.builder("earthling.db.commit.latency").description("one group-commit transaction of the hot writes")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        sizes = DistributionSummary.builder("earthling.db.batch.size").description("rows written per group commit")
                .baseUnit("rows").serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
                .register(registry);
    }

    public long batches() {
        return batches.sum();
    }

    public long items() {
        return items.sum();
    }

    public String summary() {
        long b = Math.max(1, batches.sum());
        return String.format("%d transactions, %.1f rows per transaction, %.2f ms per transaction",
                batches.sum(), items.sum() / (double) b, nanos.sum() / 1e6 / b);
    }
}

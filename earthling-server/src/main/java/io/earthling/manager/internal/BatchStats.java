package io.earthling.manager.internal;

import java.util.concurrent.atomic.LongAdder;

/** Counts DB batches and their sizes, so the batching we get is measured, not assumed. */
public final class BatchStats {
    private final LongAdder batches = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void record(int size, long elapsedNanos) {
        batches.increment();
        items.add(size);
        nanos.add(elapsedNanos);
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

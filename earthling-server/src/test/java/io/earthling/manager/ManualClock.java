package io.earthling.manager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: wall time and, as a {@link io.earthling.core.MonotonicClock}, monotonic time. {@link #advance}
 * moves both; {@link #step} moves only the wall clock, as setting a machine's clock does.
 */
public final class ManualClock extends Clock implements io.earthling.core.MonotonicClock {
    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = start;
    }

    public void set(Instant t) {
        now = t;
    }

    private volatile long monoNanos;

    public void advance(Duration d) {
        now = now.plus(d);
        monoNanos += d.toNanos();
    }

    /** The wall clock jumps by {@code d}; monotonic time does not move. */
    public void step(Duration d) {
        now = now.plus(d);
    }

    @Override
    public long nanos() {
        return monoNanos;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

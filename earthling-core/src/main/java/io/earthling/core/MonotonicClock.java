package io.earthling.core;

/**
 * Monotonic time for timeouts and periods, the counterpart of {@link java.time.Clock} (wall time, for timestamps
 * stored in rows): a wall-clock step never looks like a silent node. Only differences between two readings mean
 * anything. Tests pass their own to move time by hand.
 */
@FunctionalInterface
public interface MonotonicClock {
    /** {@link System#nanoTime()}. */
    MonotonicClock SYSTEM = System::nanoTime;

    /** The monotonic side of {@code clock} when it has one (a test's manual clock), else {@link #SYSTEM}. */
    static MonotonicClock of(java.time.Clock clock) {
        return clock instanceof MonotonicClock m ? m : SYSTEM;
    }

    /** Nanoseconds from an arbitrary origin; never goes backwards. */
    long nanos();

    default long millis() {
        return nanos() / 1_000_000;
    }
}

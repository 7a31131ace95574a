package io.earthling.core;

/**
 * Monotonic time for timeouts and failure detection: unlike a wall {@link java.time.Clock} it never steps when the
 * machine's clock is set, so a clock step cannot look like a silent node. Tests pass one they move by hand.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();

    default long millis() {
        return nanoTime() / 1_000_000;
    }

    static Ticker system() {
        return System::nanoTime;
    }
}

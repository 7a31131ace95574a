package io.earthling.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An event the code announces for tests only: unarmed (as in production) {@link #fire} does nothing; a test
 * {@link #arm}s it first, then {@link #await}s what was fired instead of polling or sleeping.
 *
 * @param <T> what each firing carries
 */
public final class TestSignal<T> {
    /** More firings than a test can have missed: hitting it means nobody waits on this signal. */
    private static final int CAPACITY = 1_000;

    private volatile BlockingQueue<T> fired;

    /** Starts recording firings; call before the code under test can fire. */
    public TestSignal<T> arm() {
        fired = new ArrayBlockingQueue<>(CAPACITY);
        return this;
    }

    /** Records {@code value} if armed; a no-op otherwise. Throws when an armed signal's buffer is full. */
    public void fire(T value) {
        BlockingQueue<T> q = fired;
        if (q != null && !q.offer(value)) {
            throw new IllegalStateException("test signal full (" + CAPACITY + " firings nobody took)");
        }
    }

    /** The next firing, waiting up to {@code timeout}; an {@link AssertionError} if none comes. */
    public T await(Duration timeout) {
        BlockingQueue<T> q = armed();
        try {
            T v = q.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (v == null) {
                throw new AssertionError("no signal within " + timeout.toMillis() + " ms");
            }
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a signal", e);
        }
    }

    /** A firing already recorded, without waiting. */
    public Optional<T> poll() {
        return Optional.ofNullable(armed().poll());
    }

    private BlockingQueue<T> armed() {
        BlockingQueue<T> q = fired;
        if (q == null) {
            throw new IllegalStateException("arm() the signal before the code under test runs");
        }
        return q;
    }
}

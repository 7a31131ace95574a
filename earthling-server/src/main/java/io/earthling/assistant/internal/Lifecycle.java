package io.earthling.assistant.internal;

import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * Where this node stands towards the cluster: in contact with a leader or fenced off, taking work or draining,
 * and whether it has left. Contact is timed on a monotonic clock (a wall-clock step neither fences the node nor
 * keeps it from fencing), from when an answered heartbeat or result report was <em>sent</em>: the leader heard it
 * later, so the node fences itself before the leader's node grace (counted from then) runs out. A registration
 * counts from its answer (the leader handled it just before answering; its request time includes this JVM's
 * warm-up of a new channel).
 */
final class Lifecycle {
    private final LongSupplier monotonicMs;
    private volatile long lastContactMs;
    private volatile boolean contacted;
    private volatile long selfFenceMs = 3_000;
    private volatile boolean fenced;
    private volatile boolean draining;
    private final CountDownLatch left = new CountDownLatch(1);
    /**
     * Held while a registration is in flight and while the node drops the jobs waiting here after fencing itself
     * off: a registration reports those jobs, so they must not vanish between the report and the leader's adoption.
     */
    final java.util.concurrent.locks.ReentrantLock registration = new java.util.concurrent.locks.ReentrantLock();

    Lifecycle() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    /** With {@code monotonicMs} as the clock (tests move it by hand). */
    Lifecycle(LongSupplier monotonicMs) {
        this.monotonicMs = monotonicMs;
    }

    /** Now on this node's monotonic clock, in ms: what {@link #contact} and {@link #registered} take. */
    long now() {
        return monotonicMs.getAsLong();
    }

    /** A call sent at {@code sentAtMs} ({@link #now()}) was answered by the leader. */
    void contact(long sentAtMs) {
        if (!contacted || sentAtMs > lastContactMs) {
            lastContactMs = sentAtMs;
        }
        contacted = true;
    }

    /** A registration was accepted at {@code atMs}; the leader's self-fence deadline from now on. */
    void registered(long atMs, long fenceAfterMs) {
        if (fenceAfterMs > 0) {
            selfFenceMs = fenceAfterMs;
        }
        lastContactMs = atMs;
        contacted = true;
        fenced = false;
    }

    long selfFenceMs() {
        return selfFenceMs;
    }

    /** True once, when contact has been lost for longer than the self-fence deadline. */
    boolean shouldFence() {
        if (!fenced && contacted && now() - lastContactMs > selfFenceMs) {
            fenced = true;
            return true;
        }
        return false;
    }

    /** Fenced off: no contact for longer than the deadline, and not registered again since. */
    boolean fenced() {
        return fenced;
    }

    long silentForMs() {
        return now() - lastContactMs;
    }

    /** False once contact has been lost for longer than the self-fence deadline, even before the watchdog fences. */
    boolean inContact() {
        return !fenced && (!contacted || now() - lastContactMs <= selfFenceMs);
    }

    boolean takesWork() {
        return !fenced && !draining;
    }

    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    void leave() {
        left.countDown();
    }

    void awaitLeft() throws InterruptedException {
        left.await();
    }

    boolean awaitLeft(long ms) throws InterruptedException {
        return left.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}

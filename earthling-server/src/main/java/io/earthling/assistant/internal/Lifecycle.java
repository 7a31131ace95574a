package io.earthling.assistant.internal;

import java.util.concurrent.CountDownLatch;

/**
 * Where this node stands towards the cluster: in contact with a leader or fenced off, taking work or draining,
 * and whether it has left.
 */
final class Lifecycle {
    private volatile long lastContactMs;
    private volatile long selfFenceMs = 3_000;
    private volatile boolean fenced;
    private volatile boolean draining;
    private final CountDownLatch left = new CountDownLatch(1);
    /**
     * Held while a registration is in flight and while the node fences itself off: a registration reports the
     * jobs waiting here, so fencing must not drop them between the report and the leader's adoption of them.
     */
    final java.util.concurrent.locks.ReentrantLock registration = new java.util.concurrent.locks.ReentrantLock();

    void contact(long nowMs) {
        lastContactMs = nowMs;
    }

    void registered(long nowMs, long fenceAfterMs) {
        lastContactMs = nowMs;
        if (fenceAfterMs > 0) {
            selfFenceMs = fenceAfterMs;
        }
        fenced = false;
    }

    /** True once, when contact has been lost for longer than the self-fence grace. */
    boolean shouldFence(long nowMs) {
        if (!fenced && lastContactMs > 0 && nowMs - lastContactMs > selfFenceMs) {
            fenced = true;
            return true;
        }
        return false;
    }

    long silentForMs(long nowMs) {
        return nowMs - lastContactMs;
    }

    /** False once contact has been lost for longer than the self-fence grace, even before the watchdog fences. */
    boolean inContact(long nowMs) {
        return !fenced && (lastContactMs == 0 || nowMs - lastContactMs <= selfFenceMs);
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

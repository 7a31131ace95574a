package io.earthling.faults;

/**
 * Run by {@link Clocks#check} in a JVM under libfaketime: prints {@code System.currentTimeMillis()},
 * {@code System.nanoTime()} and how long (by {@code nanoTime}, in ms) an {@code Object.wait(WAIT_MS)} and a
 * {@code LockSupport.parkNanos} of as long took, the shorter of the two.
 */
public final class ClockProbe {
    static final long WAIT_MS = 200;

    private ClockProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        long wall = System.currentTimeMillis();
        long nano = System.nanoTime();
        Object lock = new Object();
        long t0 = System.nanoTime();
        synchronized (lock) {
            lock.wait(WAIT_MS);
        }
        long waited = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        java.util.concurrent.locks.LockSupport.parkNanos(WAIT_MS * 1_000_000);
        long parked = (System.nanoTime() - t1) / 1_000_000;
        System.out.println(wall + " " + nano + " " + Math.min(waited, parked));
    }
}

package io.earthling.lifecycle;

import io.earthling.core.MonotonicClock;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background loop: it owns its thread, runs {@link #iterate()} again and again, and waits between iterations
 * for as long as the iteration asked, measured on its {@link MonotonicClock}. {@link #nudge()} ends the current
 * wait early (or skips the next one when it comes during an iteration); {@link #stop()} ends the loop and waits for
 * its thread to end, and never interrupts it. A failing iteration is logged and the loop goes on after
 * {@link #onFailure}'s delay. Each loop is its own small subclass; tests {@link TestSignal#arm() arm} its
 * {@link #signals()} and wait on them instead of polling.
 *
 * <p>Lifecycle: new, then {@link #start()} once (or {@link #runOnCallingThread()} for an owner that brings its own
 * thread), then {@link #stop()}, from any thread including the loop's own. A loop stopped before it started never
 * runs. Modelled on River's {@code startstop} and db-scheduler's {@code RunUntilShutdown}/{@code Waiter}.
 */
public abstract class BackgroundLoop {
    /**
     * How long {@link #stop()} waits for an iteration in progress (a slow query) before leaving it to end alone: short,
     * so stepping down stays quick; a leader loop's late writes are fenced anyway.
     */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    /** Longer waits are cut to this (still "forever" for a loop), so deadlines never overflow. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(365);

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    /** What a loop announces to tests: each iteration's wait, each failure, its end. */
    public record Signals(TestSignal<Duration> iterated, TestSignal<RuntimeException> failed, TestSignal<String> stopped) {
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final MonotonicClock clock;
    private final Duration retryAfter;
    private final Signals signals = new Signals(new TestSignal<>(), new TestSignal<>(), new TestSignal<>());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private volatile State state = State.NEW;
    /** The loop's thread once it runs; guarded by {@code lock}. */
    private Thread thread;
    /** A nudge not yet consumed by a wait; guarded by {@code lock}. */
    private boolean nudged;

    /**
     * @param name       the thread's name, also used in log lines
     * @param clock      measures the waits between iterations
     * @param retryAfter the wait after a failed iteration, unless {@link #onFailure} says otherwise
     */
    protected BackgroundLoop(String name, MonotonicClock clock, Duration retryAfter) {
        this.name = name;
        this.clock = clock;
        this.retryAfter = retryAfter;
    }

    /** One iteration; returns how long to wait before the next ({@link Duration#ZERO}: at once). */
    protected abstract Duration iterate();

    /**
     * An iteration threw: logs it and returns the wait before the next iteration. Overrides may {@link #stop()} the
     * loop instead (the return value is then ignored).
     */
    protected Duration onFailure(RuntimeException e) {
        log.warn("{} failed ({}); trying again in {} ms", name, e.toString(), retryAfter.toMillis());
        return retryAfter;
    }

    /**
     * Waits up to {@code nanos} for a wake-up; true if woken (by a nudge, a stop or an outside signal). A loop that
     * waits on something else (a database's notifications) overrides this together with {@link #wakeForStop()}.
     */
    protected boolean await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (!nudged && state == State.RUNNING) {
                woken.awaitNanos(nanos);
            }
            return nudged || state != State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** Makes an overridden {@link #await} return now; called once by {@link #stop()}. Nothing to do by default. */
    protected void wakeForStop() {
    }

    /** Starts the loop on a daemon thread of its own. A loop starts once; a stopped one does not start again. */
    public final void start() {
        lock.lock();
        try {
            if (state == State.STOPPED) {
                return;
            }
            if (state != State.NEW) {
                throw new IllegalStateException(name + " is already started");
            }
            thread = new Thread(this::loop, name);
            thread.setDaemon(true);
            state = State.RUNNING;
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the loop on the calling thread until it is stopped, for an owner that brings its own thread; otherwise
     * as {@link #start()}.
     */
    public final void runOnCallingThread() {
        lock.lock();
        try {
            if (state == State.STOPPED) {
                return;
            }
            if (state != State.NEW) {
                throw new IllegalStateException(name + " is already started");
            }
            thread = Thread.currentThread();
            state = State.RUNNING;
        } finally {
            lock.unlock();
        }
        loop();
    }

    /** Ends the current wait early; during an iteration, the next wait is skipped. */
    public final void nudge() {
        lock.lock();
        try {
            nudged = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the loop: no iteration starts after this, and from another thread it waits until the iteration in
     * progress has ended (up to {@link #STOP_WAIT}). From the loop's own thread it returns at once and the loop ends
     * when the iteration returns.
     */
    public final void stop() {
        Thread t;
        boolean first;
        lock.lock();
        try {
            if (state == State.NEW || state == State.STOPPED) {
                state = State.STOPPED;
                return;
            }
            first = state == State.RUNNING;
            state = State.STOPPING;
            woken.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (first) {
            wakeForStop();
        }
        if (t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (t.isAlive()) {
            log.warn("{} did not stop within {} s; its iteration is left to end on its own, none follows it", name,
                    STOP_WAIT.toSeconds());
        }
    }

    /** True until {@link #stop()}: long iterations check it between steps. */
    protected final boolean running() {
        return state == State.RUNNING;
    }

    public final String name() {
        return name;
    }

    /** Unarmed in production; tests arm the ones they wait on before starting the loop. */
    public final Signals signals() {
        return signals;
    }

    private void loop() {
        try {
            while (running()) {
                Duration next;
                try {
                    next = iterate();
                    signals.iterated.fire(next);
                } catch (RuntimeException e) {
                    next = onFailure(e);
                    signals.failed.fire(e);
                }
                if (!running() || !pause(next)) {
                    break;
                }
            }
        } finally {
            lock.lock();
            try {
                state = State.STOPPED;
            } finally {
                lock.unlock();
            }
            log.debug("{} stopped", name);
            signals.stopped.fire(name);
        }
    }

    /** Waits {@code d} on the loop's clock or until woken; false if the loop was interrupted and stops. */
    private boolean pause(Duration d) {
        long deadline = clock.nanos() + (d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d).toNanos();
        try {
            long left;
            while ((left = deadline - clock.nanos()) > 0 && !consumeNudge()) {
                if (await(left)) {
                    break;
                }
            }
            return true;
        } catch (InterruptedException e) {
            log.warn("{} was interrupted; it stops", name);
            Thread.currentThread().interrupt();
            return false;
        } finally {
            consumeNudge();
        }
    }

    /** True (and cleared) if a nudge came or the loop stops. */
    private boolean consumeNudge() {
        lock.lock();
        try {
            boolean was = nudged;
            nudged = false;
            return was || state != State.RUNNING;
        } finally {
            lock.unlock();
        }
    }
}

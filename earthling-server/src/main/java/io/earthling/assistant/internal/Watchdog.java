package io.earthling.assistant.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's state daemon, inside the assistant: pings every worker process and kills one that stops answering
 * (its exit restarts it); kills a worker whose job will not stop after a timeout, cancel or fence; and fences
 * this node off when it has lost the manager for longer than the grace, stopping what it runs.
 */
final class Watchdog implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    /** How long a job may ignore a stop before its worker process is killed. */
    static final long GRACE_MS = 2_000;
    /** The manager's timing contract counts on this (TimingContract.WATCHDOG_TICK_MS). */
    static final long TICK_MS = 250;
    /** A hung worker is killed about a second after it stops: two pings, a tick apart, missing this deadline. */
    private static final long PING_DEADLINE_MS = 500;
    private static final int PINGS_MISSED = 2;
    /** A silent worker that still gets CPU time is starved, not hung, unless it stays silent this long. */
    private static final long STARVED_MAX_MS = 10_000;

    private final List<WorkerSlot> slots;
    private final RunningJobs running;
    private final Lifecycle lifecycle;
    private final LocalQueue service;
    /** Missed pings per worker process (pid): a restarted worker starts with a clean count. */
    private final Map<Long, Integer> missed = new ConcurrentHashMap<>();
    /** CPU time (clock ticks) of each worker process when its last ping was missed. */
    private final Map<Long, Long> cpuAtMiss = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    Watchdog(List<WorkerSlot> slots, RunningJobs running, Lifecycle lifecycle, LocalQueue service) {
        this.service = service;
        this.slots = slots;
        this.running = running;
        this.lifecycle = lifecycle;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            pingWorkers();
            tick(running.now());
        }
    }

    /**
     * One look: stops what overran its stop, starts what waits, and fences the node off once it has been out of
     * contact past the deadline. Fencing stops the running jobs at once, whatever else holds the registration lock
     * (a registration may wait seconds on a silent manager); only the jobs still waiting here wait for that lock,
     * and they cannot start meanwhile (the node is out of contact). {@code nowMs}: {@link RunningJobs#now()}, monotonic.
     */
    void tick(long nowMs) {
        enforceStops(nowMs);
        service.pump(); // a restarted worker takes what waits
        if (lifecycle.shouldFence()) {
            log.warn("No contact with any manager for {} ms (self-fence deadline {} ms): fencing this node off; its {}"
                    + " running jobs are stopped and it takes no work until it registers again",
                    lifecycle.silentForMs(), lifecycle.selfFenceMs(), running.size());
            running.all().forEach(e -> e.stop("stopped: the node lost contact with the manager (self-fenced)", false,
                    nowMs));
        }
        // Not while a registration that reports the waiting jobs is in flight: the next tick looks again.
        if (lifecycle.fenced() && service.waitingCount() > 0 && lifecycle.registration.tryLock()) {
            try {
                if (lifecycle.fenced()) { // not registered meanwhile
                    int dropped = service.dropAllWaiting();
                    if (dropped > 0) {
                        log.warn("Dropped {} jobs that waited here for a worker; the leader hands them out again",
                                dropped);
                    }
                }
            } finally {
                lifecycle.registration.unlock();
            }
        }
    }

    private void pingWorkers() {
        for (WorkerSlot s : slots) {
            if (s instanceof ProcessSlot p && p.healthy()) {
                long pid = p.pid();
                p.ping(PING_DEADLINE_MS).thenAccept(ok -> {
                    if (ok) {
                        missed.remove(pid);
                        cpuAtMiss.remove(pid);
                        return;
                    }
                    int n = missed.merge(pid, 1, Integer::sum);
                    long silentMs = ProcessSlot.monotonicMs() - p.lastAnswerMs();
                    long cpu = ProcessCpu.ticks(pid);
                    Long before = cpuAtMiss.put(pid, cpu);
                    // On a machine with more busy processes than cores a worker can be starved for a second; a
                    // stopped or deadlocked one gets no CPU time at all.
                    boolean progressing = cpu >= 0 && before != null && cpu > before && silentMs < STARVED_MAX_MS;
                    if (n >= PINGS_MISSED && silentMs > PING_DEADLINE_MS + TICK_MS && !progressing && p.healthy()
                            && p.pid() == pid) {
                        missed.remove(pid);
                        cpuAtMiss.remove(pid);
                        log.warn("Worker process {} stopped answering ({} pings missed); killing it so it restarts", p.name(), n);
                        p.kill(pid);
                    }
                });
            }
        }
    }

    private void enforceStops(long now) {
        for (RunningJobs.Entry e : running.all()) {
            long at = e.hardStopAtMs;
            if (at > 0 && now >= at) {
                e.hardStopAtMs = 0;
                if (e.stopReason == null) {
                    e.stopReason = "timed out after " + e.job.getTimeoutMs() + " ms";
                }
                if (e.slot instanceof ProcessSlot p) {
                    log.warn("Job {} on {} did not stop ({}) within {} ms; killing the worker process",
                            e.job.getJobId(), p.name(), e.stopReason, GRACE_MS);
                    p.kill(p.pid());
                } else {
                    log.warn("Job {} on thread worker {} ignores its stop ({}); a thread cannot be killed",
                            e.job.getJobId(), e.slot.name(), e.stopReason);
                }
            }
        }
    }

    void stop() {
        stopped = true;
    }
}

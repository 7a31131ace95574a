package io.earthling.assistant.internal;

import io.earthling.protocol.AcceptedOn;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.RunningJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node-local scheduler: jobs delivered here start on an idle worker at once or wait (the prefetch) for the next
 * worker that comes free, without a round trip to the leader; a job a worker hands back unstarted goes first. Its
 * answer to a delivery is authoritative: a job with no room is refused, and the leader redirects it; so is every
 * job while the node is fenced off or draining. Thread-safe: RPC threads, worker answers and the link call it.
 */
final class LocalQueue {
    static final double QUEUED_WORK_MS = 20;
    static final int MAX_PREFETCH = 16;

    private final SlotPool pool;
    private final RunningJobs running;
    private final ResultOutbox outbox;
    private final Lifecycle lifecycle;
    private final Waiting waiting = new Waiting();
    private final int prefetch;
    private volatile int announced;
    private final Object handoff = new Object();
    private final Runnable pumpOnce = this::pump;

    LocalQueue(SlotPool pool, RunningJobs running, ResultOutbox outbox, Lifecycle lifecycle, int prefetch) {
        this.prefetch = prefetch;
        this.pool = pool;
        this.running = running;
        this.outbox = outbox;
        this.lifecycle = lifecycle;
    }

    /** Takes what it can of a delivery: each job accepted (started or waiting) or refused. */
    DeliverResponse.Builder take(List<Delivery> jobs) {
        DeliverResponse.Builder resp = DeliverResponse.newBuilder();
        Starts starts = new Starts();
        for (Delivery job : jobs) {
            if (running.isRunning(job.getJobId(), job.getAttempt()) || waiting.contains(job.getJobId(), job.getAttempt())) {
                resp.addAccepted(job.getJobId());
                continue;
            }
            if (!lifecycle.takesWork() || !lifecycle.inContact()) {
                resp.addRefused(job.getJobId());
                continue;
            }
            WorkerSlot slot = waiting.size() == 0 ? pool.take(job.getType()) : null;
            if (slot != null && starts.add(slot, job, running.start(job, slot))) {
                resp.addAccepted(job.getJobId());
                resp.addAcceptedOn(AcceptedOn.newBuilder().setJobId(job.getJobId()).setWorker(slot.name()));
            } else if (waiting.offer(job, Math.max(queueSlots(), announced))) {
                resp.addAccepted(job.getJobId());
            } else {
                resp.addRefused(job.getJobId());
            }
        }
        pump(starts);
        starts.send();
        return resp.setIdleCount(lifecycle.takesWork() ? pool.idleCount() : 0);
    }

    /** Jobs this node may hold waiting for a worker: {@link #prefetchNow()} per healthy worker. */
    int queueSlots() {
        return prefetchNow() * pool.healthyCount();
    }

    /**
     * {@link #queueSlots()}, told to the manager. The node takes that many until it tells a new number: the manager
     * plans with it, and a job refused for a dip in between would cost a redirect and a row write.
     */
    int announceQueueSlots() {
        announced = queueSlots();
        return announced;
    }

    /**
     * Jobs per worker that may wait here: the configured prefetch, or more while jobs are short, as many as a
     * worker runs in about {@link #QUEUED_WORK_MS} (at most {@link #MAX_PREFETCH}). So a burst of short jobs does
     * not wait a round trip to the manager between each, and long jobs still wait only as configured.
     */
    int prefetchNow() {
        return prefetchFor(prefetch, pool.recentRunMs());
    }

    /** 0 stays 0: the operator asked that no job ever waits behind another. */
    static int prefetchFor(int configured, double recentRunMs) {
        if (configured == 0 || recentRunMs < 0) {
            return configured;
        }
        int covering = (int) (QUEUED_WORK_MS / Math.max(1, recentRunMs));
        return Math.max(configured, Math.min(MAX_PREFETCH, covering));
    }

    int waitingCount() {
        return waiting.size();
    }

    List<RunningJob> snapshot() {
        List<RunningJob> all = new ArrayList<>(running.snapshot());
        all.addAll(waiting.snapshot());
        return all;
    }

    /** Drops jobs waiting here that the leader gave to another node (or that were cancelled). */
    boolean dropWaiting(long jobId) {
        return waiting.remove(jobId);
    }

    /** Self-fenced: what waits here is the leader's again. */
    int dropAllWaiting() {
        return waiting.clear();
    }

    /** Starts waiting jobs on idle workers; runs whenever a worker may have come free. */
    void pump() {
        Starts starts = new Starts();
        pump(starts);
        starts.send();
    }

    private void pump(Starts starts) {
        while (waiting.size() > 0 && lifecycle.inContact()) {
            int window = 1 + prefetchNow();
            WorkerSlot[] slot = new WorkerSlot[1];
            Delivery next;
            RunningJobs.Entry entry = null;
            synchronized (handoff) { // from waiting to running in one step, as a registration must see it
                // The oldest waiting job a worker has room for: on a node with Java and Python workers a job
                // whose runtime is busy must not hold up the others' jobs behind it.
                next = waiting.pollFirst(d -> (slot[0] = pool.takeUpTo(window, d.getType())) != null);
                if (next != null) {
                    entry = running.start(next, slot[0]);
                }
            }
            if (next == null) {
                return;
            }
            starts.add(slot[0], next, entry); // gives the slot back itself if the job already runs here
        }
    }

    /** Jobs to start, sent as one message per worker once all are picked. */
    private final class Starts {
        private final Map<WorkerSlot, List<RunningJobs.Entry>> bySlot = new java.util.LinkedHashMap<>();

        /** False (and the slot given back) if the job already runs here: {@code entry} is then null. */
        boolean add(WorkerSlot slot, Delivery job, RunningJobs.Entry entry) {
            if (entry == null) {
                pool.untake(slot);
                return false;
            }
            bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(entry);
            return true;
        }

        void send() {
            bySlot.forEach((slot, entries) -> {
                List<java.util.concurrent.CompletableFuture<JobOutcome>> done =
                        slot.executeAll(entries.stream().map(e -> e.job).toList());
                for (int i = 0; i < entries.size(); i++) {
                    RunningJobs.Entry e = entries.get(i);
                    done.get(i).whenComplete((outcome, err) -> finished(e, outcome, err));
                }
            });
            bySlot.clear();
        }
    }

    // A job leaves `running` in one step with entering `waiting` or the outbox (see registrationReport).
    private void finished(RunningJobs.Entry e, JobOutcome outcome, Throwable err) {
        if (err instanceof java.util.concurrent.CompletionException && err.getCause() != null) {
            err = err.getCause();
        }
        if (err instanceof WorkerSlot.NotStarted) {
            synchronized (handoff) {
                running.finish(e.job.getJobId());
                // Stopped meanwhile (cancelled, superseded, fenced off): the leader has already settled it elsewhere.
                if (e.stopReason == null) {
                    waiting.putFirst(e.job);
                }
            }
            pool.handedBack(e.slot);
            Batched.later(pumpOnce);
            return;
        }
        JobOutcome o = outcome != null ? outcome
                : Outcomes.failed(e.job, e.slot.name(), e.startedMs, String.valueOf(err));
        boolean ranToEnd = outcome != null && !o.getWorkerLost();
        pool.giveBack(e.slot, ranToEnd ? o.getFinishedAtMs() - o.getStartedAtMs() : -1);
        Batched.later(pumpOnce);
        // Only now: the leader sends the next job as soon as it hears of this one, and it must find room here.
        synchronized (handoff) {
            running.finish(e.job.getJobId());
            outbox.add(e.stopReason == null ? o : Outcomes.stopped(o, e.stopReason, e.cancelled));
        }
    }

    /**
     * What a registration reports: the jobs running here, those waiting for a worker, and those that ended here
     * whose outcome no leader has acknowledged (as running, with the attempt that ran). A new leader that finds one
     * of them PENDING (its assignment was not recorded yet) adopts it instead of running it again, and then takes
     * its outcome. Each job once, its newest attempt; only on the link thread (it reads the unacknowledged outcomes).
     */
    List<RunningJob> registrationReport() {
        Map<Long, RunningJob> byJob = new java.util.LinkedHashMap<>();
        synchronized (handoff) {
            for (JobOutcome o : outbox.unacknowledged()) {
                byJob.merge(o.getJobId(), RunningJob.newBuilder().setJobId(o.getJobId()).setAttempt(o.getAttempt())
                        .setWorker(o.getWorker()).build(), (a, b) -> b.getAttempt() > a.getAttempt() ? b : a);
            }
            snapshot().forEach(r -> byJob.put(r.getJobId(), r));
        }
        return List.copyOf(byJob.values());
    }

    /** Stops a job running or waiting here; false if it is neither. */
    boolean cancel(long jobId) {
        RunningJobs.Entry e = running.get(jobId);
        if (e != null) {
            e.stop("cancelled", true, running.now());
        }
        boolean wasWaiting = waiting.remove(jobId); // never started: the leader has already ended it
        return e != null || wasWaiting;
    }
}

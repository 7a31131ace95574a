package io.earthling.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The manager's in-memory ready queues. Per named queue: higher priority first, then earlier due time, then
 * submission order. Jobs not yet due wait in one shared timer heap, so a retrying job never sits at the head of
 * its queue. Queues with due jobs take turns by smooth weighted round robin; a queue that is paused, at its
 * concurrency limit or out of its rate is skipped, and a queue whose recent attempts fail has its weight scaled
 * by its success rate (down to {@link Lane#FLOOR}), so a queue full of failing jobs cannot crowd out the others.
 * A job whose concurrency key is at its limit waits aside until a job with that key ends. Not thread-safe: the
 * dispatcher owns it.
 */
public final class ReadyQueues {
    private final Map<String, Lane> lanes = new HashMap<>();
    private final List<Lane> order = new ArrayList<>();
    private final PriorityQueue<ReadyJob> delayed = new PriorityQueue<>(Comparator.comparingLong(ReadyJob::runAtMs));
    private final Map<String, KeyGate> keys = new HashMap<>();
    private int size;

    private static final class KeyGate {
        int running;
        final ArrayDeque<ReadyJob> waiting = new ArrayDeque<>();
    }

    public void configure(String queue, QueueLimits limits) {
        lane(queue).limits = limits;
    }

    public void pause(String queue, boolean paused) {
        lane(queue).paused = paused;
    }

    /** Jobs of {@code queue} held here, due or delayed. */
    public int size(String queue) {
        Lane l = lanes.get(queue);
        return l == null ? 0 : l.jobs.size() + l.delayed;
    }

    /** Jobs held here of the queues that are not paused: those that could run. */
    public int runnable() {
        int n = size;
        for (Lane l : order) {
            if (l.paused) {
                n -= l.jobs.size() + l.delayed;
            }
        }
        return n;
    }

    public boolean paused(String queue) {
        Lane l = lanes.get(queue);
        return l != null && l.paused;
    }

    public void add(ReadyJob job, long nowMs) {
        if (job.runAtMs() > nowMs) {
            delayed.add(job);
            lane(job.queue()).delayed++;
        } else {
            lane(job.queue()).jobs.add(job);
        }
        size++;
    }

    /** Moves jobs whose due time has come into their queues; returns the next due time still waiting, or -1. */
    public long promoteDue(long nowMs) {
        while (!delayed.isEmpty() && delayed.peek().runAtMs() <= nowMs) {
            ReadyJob j = delayed.poll();
            Lane l = lane(j.queue());
            l.delayed--;
            l.jobs.add(j);
        }
        return delayed.isEmpty() ? -1 : delayed.peek().runAtMs();
    }

    /** The next job to run by weighted turn across the queues that may start one now, or null if none may. */
    public ReadyJob poll(long nowMs) {
        while (true) {
            Lane best = null;
            double total = 0;
            for (Lane l : order) {
                if (!l.eligible(nowMs)) {
                    continue;
                }
                l.current += l.effectiveWeight();
                total += l.effectiveWeight();
                if (best == null || l.current > best.current) {
                    best = l;
                }
            }
            if (best == null) {
                return null;
            }
            best.current -= total;
            ReadyJob j = takeRunnable(best);
            if (j != null) {
                best.took();
                size--;
                return j;
            }
        }
    }

    /** The lane's first job whose key has room; jobs whose key is full wait aside. */
    private ReadyJob takeRunnable(Lane lane) {
        while (!lane.jobs.isEmpty()) {
            ReadyJob j = lane.jobs.poll();
            KeyGate gate = j.concurrencyKey() == null ? null : keys.computeIfAbsent(j.concurrencyKey(), k -> new KeyGate());
            if (gate == null || gate.running < Math.max(1, j.concurrencyLimit())) {
                return j;
            }
            gate.waiting.add(j);
        }
        return null;
    }

    /** A job of this queue now runs (or is on its way to a worker): it counts against its limits. */
    public void started(ReadyJob job) {
        lane(job.queue()).active++;
        if (job.concurrencyKey() != null) {
            keys.computeIfAbsent(job.concurrencyKey(), k -> new KeyGate()).running++;
        }
    }

    /** A job counted by {@link #started} no longer runs; a job waiting for its key may go. */
    public void ended(ReadyJob job) {
        Lane l = lane(job.queue());
        l.active = Math.max(0, l.active - 1);
        if (job.concurrencyKey() == null) {
            return;
        }
        KeyGate gate = keys.get(job.concurrencyKey());
        if (gate == null) {
            return;
        }
        gate.running--;
        ReadyJob next = gate.waiting.poll();
        if (next != null) {
            lane(next.queue()).jobs.add(next);
        }
        if (gate.running <= 0 && gate.waiting.isEmpty()) {
            keys.remove(job.concurrencyKey());
        }
    }

    /** How an attempt of this queue ended: failures shrink the queue's share while both it and others wait. */
    public void outcome(String queue, boolean succeeded) {
        lane(queue).outcome(succeeded);
    }

    /**
     * A delayed job is due now (an operator's "run now"): it leaves the timer heap for its queue, where it waits its
     * turn, its limits and its key like any due job. False if it is not waiting for its due time here.
     */
    public boolean runNow(long id, long nowMs) {
        for (ReadyJob j : delayed) {
            if (j.id() == id) {
                delayed.remove(j);
                Lane l = lane(j.queue());
                l.delayed--;
                l.jobs.add(j.again(nowMs, j.attempts()));
                return true;
            }
        }
        return false;
    }

    /** Removes a job wherever it waits (e.g. cancelled); true if it was here. */
    public boolean remove(long id) {
        return take(id) != null;
    }

    /** Removes the job with this id, wherever it waits, and returns it; null if it is not here. O(jobs). */
    public ReadyJob take(long id) {
        ReadyJob found = null;
        for (ReadyJob j : delayed) {
            if (j.id() == id) {
                delayed.remove(j);
                lane(j.queue()).delayed--;
                found = j;
                break;
            }
        }
        for (Lane l : order) {
            found = takeFrom(l.jobs, id, found);
        }
        for (KeyGate g : keys.values()) {
            found = takeFrom(g.waiting, id, found);
        }
        if (found != null) {
            size--;
        }
        return found;
    }

    /** Removes every job whose id is in {@code ids}, wherever it waits, in one pass: O(jobs) for all of them. */
    public java.util.Map<Long, ReadyJob> takeAll(java.util.Set<Long> ids) {
        java.util.Map<Long, ReadyJob> found = new java.util.HashMap<>();
        if (ids.isEmpty() || size == 0) {
            return found;
        }
        for (java.util.Iterator<ReadyJob> it = delayed.iterator(); it.hasNext(); ) {
            ReadyJob j = it.next();
            if (ids.contains(j.id())) {
                it.remove();
                lane(j.queue()).delayed--;
                found.put(j.id(), j);
            }
        }
        for (Lane l : order) {
            takeAllFrom(l.jobs, ids, found);
        }
        for (KeyGate g : keys.values()) {
            takeAllFrom(g.waiting, ids, found);
        }
        size -= found.size();
        return found;
    }

    private static void takeAllFrom(java.util.Collection<ReadyJob> jobs, java.util.Set<Long> ids,
                                    java.util.Map<Long, ReadyJob> found) {
        for (java.util.Iterator<ReadyJob> it = jobs.iterator(); it.hasNext(); ) {
            ReadyJob j = it.next();
            if (ids.contains(j.id())) {
                it.remove();
                found.put(j.id(), j);
            }
        }
    }

    private static ReadyJob takeFrom(java.util.Collection<ReadyJob> jobs, long id, ReadyJob found) {
        for (java.util.Iterator<ReadyJob> it = jobs.iterator(); it.hasNext(); ) {
            ReadyJob j = it.next();
            if (j.id() == id) {
                it.remove();
                return j;
            }
        }
        return found;
    }

    public int size() {
        return size;
    }

    /** Whether any queue holds a due job (it may still be held back by a limit). */
    public boolean hasDue() {
        for (Lane l : order) {
            if (!l.jobs.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The earliest time a rate-limited queue with due jobs may start one, or -1. */
    public long nextTokenAtMs(long nowMs) {
        long next = -1;
        for (Lane l : order) {
            long t = l.nextTokenAtMs(nowMs);
            if (t > 0 && (next < 0 || t < next)) {
                next = t;
            }
        }
        return next;
    }

    /** What one queue holds now, for operators. */
    public QueueSnapshot snapshot(String queue) {
        Lane l = lane(queue);
        int keyWaiting = 0;
        for (KeyGate g : keys.values()) {
            keyWaiting += (int) g.waiting.stream().filter(j -> j.queue().equals(queue)).count();
        }
        long oldest = l.jobs.stream().mapToLong(ReadyJob::runAtMs).min().orElse(0);
        return new QueueSnapshot(queue, l.limits, l.paused, l.jobs.size() + keyWaiting, l.delayed, l.active, l.health,
                oldest);
    }

    /** How many jobs of each concurrency key in use run now (a key with none running and none waiting is absent). */
    public Map<String, Integer> keyRunning() {
        Map<String, Integer> m = new HashMap<>();
        keys.forEach((k, g) -> m.put(k, g.running));
        return m;
    }

    /** Per queue whose due jobs its rate holds back now: when it may start the next one. */
    public Map<String, Long> rateUntilMs(long nowMs) {
        Map<String, Long> m = new HashMap<>();
        for (Lane l : order) {
            long t = l.nextTokenAtMs(nowMs);
            if (t > 0) {
                m.put(l.name, t);
            }
        }
        return m;
    }

    public List<String> names() {
        return order.stream().map(l -> l.name).sorted().toList();
    }

    private Lane lane(String queue) {
        return lanes.computeIfAbsent(queue, q -> {
            Lane l = new Lane(q);
            order.add(l);
            return l;
        });
    }
}

package io.earthling.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The manager's in-memory ready queues. Per named queue: higher priority first, then earlier due time, then
 * submission order. Jobs not yet due wait in one shared timer heap, so a retrying job never sits at the head
 * of its queue. Queues take turns by smooth weighted round robin. Not thread-safe: the dispatcher owns it.
 */
public final class ReadyQueues {
    private static final Comparator<ReadyJob> ORDER = Comparator.comparingInt(ReadyJob::priority).reversed()
            .thenComparingLong(ReadyJob::runAtMs).thenComparingLong(ReadyJob::id);

    private final Map<String, Lane> lanes = new HashMap<>();
    private final List<Lane> order = new ArrayList<>();
    private final PriorityQueue<ReadyJob> delayed = new PriorityQueue<>(Comparator.comparingLong(ReadyJob::runAtMs));
    private int size;

    public void setWeight(String queue, int weight) {
        lane(queue).weight = Math.max(1, weight);
    }

    public void add(ReadyJob job, long nowMs) {
        if (job.runAtMs() > nowMs) {
            delayed.add(job);
        } else {
            lane(job.queue()).jobs.add(job);
        }
        size++;
    }

    /** Moves jobs whose due time has come into their queues; returns the next due time still waiting, or -1. */
    public long promoteDue(long nowMs) {
        while (!delayed.isEmpty() && delayed.peek().runAtMs() <= nowMs) {
            ReadyJob j = delayed.poll();
            lane(j.queue()).jobs.add(j);
        }
        return delayed.isEmpty() ? -1 : delayed.peek().runAtMs();
    }

    /** The next due job by weighted turn across queues, or null if none is due. */
    public ReadyJob poll() {
        Lane best = null;
        int total = 0;
        for (Lane l : order) {
            if (l.jobs.isEmpty()) {
                continue;
            }
            l.current += l.weight;
            total += l.weight;
            if (best == null || l.current > best.current) {
                best = l;
            }
        }
        if (best == null) {
            return null;
        }
        best.current -= total;
        size--;
        return best.jobs.poll();
    }

    /** Removes a job wherever it waits (e.g. cancelled); true if it was here. */
    public boolean remove(long id) {
        boolean removed = delayed.removeIf(j -> j.id() == id);
        for (Lane l : order) {
            removed |= l.jobs.removeIf(j -> j.id() == id);
        }
        if (removed) {
            size--;
        }
        return removed;
    }

    public int size() {
        return size;
    }

    public int dueCount() {
        int n = 0;
        for (Lane l : order) {
            n += l.jobs.size();
        }
        return n;
    }

    private Lane lane(String queue) {
        return lanes.computeIfAbsent(queue, q -> {
            Lane l = new Lane();
            order.add(l);
            return l;
        });
    }

    private static final class Lane {
        final PriorityQueue<ReadyJob> jobs = new PriorityQueue<>(ORDER);
        int weight = 1;
        int current;
    }
}

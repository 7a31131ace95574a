package io.earthling.assistant.internal;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.RunningJob;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs accepted while every worker was busy (the prefetch), oldest first. A worker that finishes takes the next
 * one at once, without a round trip to the manager; a job a worker handed back unstarted goes first.
 */
final class Waiting {
    private final Map<Long, Delivery> jobs = new LinkedHashMap<>();

    synchronized boolean offer(Delivery job, int limit) {
        if (jobs.size() >= limit) {
            return false;
        }
        jobs.putIfAbsent(job.getJobId(), job);
        return true;
    }

    /** A job handed back unstarted by a worker: it goes first, whatever the limit (it was accepted already). */
    synchronized void putFirst(Delivery job) {
        Map<Long, Delivery> again = new LinkedHashMap<>();
        again.put(job.getJobId(), job);
        again.putAll(jobs);
        jobs.clear();
        jobs.putAll(again);
    }

    synchronized Delivery poll() {
        Iterator<Delivery> it = jobs.values().iterator();
        if (!it.hasNext()) {
            return null;
        }
        Delivery d = it.next();
        it.remove();
        return d;
    }

    /** Removes and returns the oldest job that {@code takes} accepts (it finds the job a worker), or null. */
    synchronized Delivery pollFirst(java.util.function.Predicate<Delivery> takes) {
        Iterator<Delivery> it = jobs.values().iterator();
        while (it.hasNext()) {
            Delivery d = it.next();
            if (takes.test(d)) {
                it.remove();
                return d;
            }
        }
        return null;
    }

    synchronized boolean contains(long jobId, int attempt) {
        Delivery d = jobs.get(jobId);
        return d != null && d.getAttempt() == attempt;
    }

    synchronized boolean remove(long jobId) {
        return jobs.remove(jobId) != null;
    }

    synchronized int clear() {
        int n = jobs.size();
        jobs.clear();
        return n;
    }

    synchronized int size() {
        return jobs.size();
    }

    synchronized List<RunningJob> snapshot() {
        List<RunningJob> out = new ArrayList<>(jobs.size());
        for (Delivery d : jobs.values()) {
            out.add(RunningJob.newBuilder().setJobId(d.getJobId()).setAttempt(d.getAttempt()).setWorker("").build());
        }
        return out;
    }
}

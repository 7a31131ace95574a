package io.earthling.core;

import io.earthling.api.JobState;
import java.time.Instant;

/**
 * Why a job that is not final does not run: a machine-readable {@link Kind}, a sentence for people that names the
 * thing and what to do, and when the wait ends where that is known ({@code untilMs}, else 0). Pure: the first
 * obstacle in the order a job meets them wins (a paused queue before a delay, a delay before its type's workers).
 */
public record WaitReason(Kind kind, String detail, long untilMs) {

    /** The machine-readable reasons; their names are part of the API (docs/api.md). */
    public enum Kind {
        /** Submitted with a delay or a run-at time. */
        DELAYED,
        /** Failed an attempt; the next one waits out its backoff. */
        RETRY_BACKOFF,
        /** Its queue is paused. */
        QUEUE_PAUSED,
        /** No online node runs its type. */
        NO_WORKER,
        /** As many jobs with its concurrency key run as the key allows. */
        CONCURRENCY_KEY,
        /** Its queue runs as many jobs as its concurrency allows. */
        QUEUE_CONCURRENCY,
        /** Its queue's rate limit holds it until the next start. */
        RATE_LIMIT,
        /** Every worker of its type is busy. */
        WORKERS_BUSY,
        /** Due, and nothing holds it: it starts on the next dispatch. */
        DUE,
        /** It split; it waits for its children to end. */
        CHILDREN,
        /** Its children ended; its gather job runs. */
        GATHERING
    }

    /** The job as far as waiting goes: a store row's fields. */
    public record Job(JobState state, String queue, String type, long runAtMs, int attempts, String concurrencyKey,
                      int concurrencyLimit) {
    }

    /** Why {@code job} waits given what the dispatcher knows; null when it does not wait (it runs, or it ended). */
    public static WaitReason of(Job job, WaitFacts f) {
        switch (job.state()) {
            case WAITING:
                return new WaitReason(Kind.CHILDREN, "waiting for the jobs it split into to end", 0);
            case GATHERING:
                return new WaitReason(Kind.GATHERING, "its children ended; its gather job runs", 0);
            case PENDING:
                break;
            default:
                return null;
        }
        QueueSnapshot q = f.queues().get(job.queue());
        boolean later = job.runAtMs() > f.nowMs();
        if (q != null && q.paused()) {
            return new WaitReason(Kind.QUEUE_PAUSED, "queue '" + job.queue() + "' is paused; resume it with"
                    + " `earthling queues resume " + job.queue() + "`" + (later ? " (and it is due at "
                    + at(job.runAtMs()) + ")" : ""), later ? job.runAtMs() : 0);
        }
        if (later) {
            return job.attempts() > 0
                    ? new WaitReason(Kind.RETRY_BACKOFF, "attempt " + job.attempts() + " failed; the next one waits"
                    + " for its backoff until " + at(job.runAtMs()), job.runAtMs())
                    : new WaitReason(Kind.DELAYED, "delayed until " + at(job.runAtMs()), job.runAtMs());
        }
        if (!f.known()) {
            return null; // a standby cannot see the dispatcher: no guess
        }
        if (!f.offeredTypes().contains(job.type())) {
            return new WaitReason(Kind.NO_WORKER, "no online worker runs type '" + job.type() + "'; start a node"
                    + " that offers it (see `earthling nodes`)", 0);
        }
        if (job.concurrencyKey() != null && !job.concurrencyKey().isEmpty()) {
            int running = f.keyRunning().getOrDefault(job.concurrencyKey(), 0);
            int limit = Math.max(1, job.concurrencyLimit());
            if (running >= limit) {
                return new WaitReason(Kind.CONCURRENCY_KEY, "concurrency key '" + job.concurrencyKey()
                        + "' is at its limit (" + running + " of " + limit + " running)", 0);
            }
        }
        if (q != null && q.limits().concurrency() > 0 && q.running() >= q.limits().concurrency()) {
            return new WaitReason(Kind.QUEUE_CONCURRENCY, "queue '" + job.queue() + "' runs " + q.running() + " of"
                    + " its " + q.limits().concurrency() + " (queues." + job.queue() + ".concurrency)", 0);
        }
        Long next = f.rateUntilMs().get(job.queue());
        if (next != null) {
            return new WaitReason(Kind.RATE_LIMIT, "queue '" + job.queue() + "' is held by its rate limit of "
                    + (q == null ? "?" : trim(q.limits().ratePerSecond())) + "/s (queues." + job.queue()
                    + ".rate); next start at " + at(next), next);
        }
        if (!f.freeTypes().contains(job.type())) {
            return new WaitReason(Kind.WORKERS_BUSY, "every worker of type '" + job.type() + "' is busy", 0);
        }
        return new WaitReason(Kind.DUE, "due: it starts on the next dispatch", 0);
    }

    private static String at(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}

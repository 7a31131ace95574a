package io.earthling.manager.internal.dispatch;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;

import io.earthling.api.JobState;
import io.earthling.core.ReadyJob;
import io.earthling.manager.internal.split.Splits;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.store.StateChange;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * What happens to a job when an attempt ends or its node is lost: the table of outcome × attempt budget → the job's
 * next state (docs/architecture.md, "Outcomes"). A plain object: the dispatcher asks, then writes and queues what
 * it answers; unit tests drive it as a table.
 */
final class OutcomePolicy {
    private static final Set<JobState> ACTIVE = EnumSet.of(ASSIGNED, RUNNING);

    /** What the dispatcher does after the change is durable. */
    enum Kind {
        /** Final, with its result. */
        SUCCEEDED,
        /** Parked WAITING; its children were stored with the change. */
        SPLIT,
        /** Final, stopped by request. */
        CANCELLED,
        /** PENDING again, due at {@link Decision#again}'s run time. */
        RETRY,
        /** Final: its attempts are used up, or it failed for good. */
        DEAD,
        /** Not this node's attempt (superseded, or the job is final): refused, nothing written. */
        STALE
    }

    /** The move to write ({@code null} when stale) and, for {@link Kind#RETRY}, the job as it queues again. */
    record Decision(Kind kind, StateChange change, ReadyJob again) {
        boolean isFinal() {
            return kind == Kind.SUCCEEDED || kind == Kind.CANCELLED || kind == Kind.DEAD;
        }
    }

    private final IntToLongFunction backoffMs;

    /** {@code backoffMs}: the delay before attempt {@code n + 1} after attempt {@code n} failed. */
    OutcomePolicy(IntToLongFunction backoffMs) {
        this.backoffMs = backoffMs;
    }

    static OutcomePolicy standard() {
        return new OutcomePolicy(Backoff::delayMs);
    }

    /**
     * The move for outcome {@code o} that {@code nodeId} reported, for the job this leader has in flight as {@code f}
     * (null if none). Only the node the job is with, for the attempt it carries, decides it: another node's outcome
     * for the same attempt is one a new leader had to give again.
     */
    Decision outcome(String nodeId, InFlight f, JobOutcome o, long nowMs) {
        if (f == null || f.attempt != o.getAttempt() || !nodeId.equals(f.node)) {
            return new Decision(Kind.STALE, null, null);
        }
        // A job not yet shown RUNNING (it waited on its node) gets there in the same write.
        Set<JobState> from = f.running ? EnumSet.of(RUNNING) : ACTIVE;
        Draft d = move(f, o, from, nowMs);
        StateChange.Builder b = d.builder.startedAt(o.getStartedAtMs()); // the node's start time is the true one
        if (!f.running) {
            b.via(RUNNING).attempts(f.attempt).node(f.node);
        }
        return new Decision(d.kind, b.build(), d.again);
    }

    private record Draft(Kind kind, StateChange.Builder builder, ReadyJob again) {
    }

    private Draft move(InFlight f, JobOutcome o, Set<JobState> from, long nowMs) {
        long id = f.job.id();
        String worker = o.getWorker();
        switch (o.getStatus()) {
            case SUCCEEDED -> {
                String result = o.getResult().isEmpty() ? null : o.getResult().toString(StandardCharsets.UTF_8);
                if (o.getSplit()) { // only the flag makes a split: a result that reads like one is a result
                    StateChange.Builder split = Splits.park(id, from, result, f.job.queue(), worker);
                    if (split != null) {
                        return new Draft(Kind.SPLIT, split, null);
                    }
                    String why = "attempt " + f.attempt + ": the handler answered with a malformed split";
                    return new Draft(Kind.DEAD, StateChange.of(id, from, DEAD).error(why).worker(worker)
                            .finishedAt(nowMs).event("DEAD", why), null);
                }
                return new Draft(Kind.SUCCEEDED, StateChange.of(id, from, SUCCEEDED).result(result).worker(worker)
                        .finishedAt(o.getFinishedAtMs()).event("SUCCEEDED", null), null);
            }
            case CANCELLED -> {
                return new Draft(Kind.CANCELLED, StateChange.of(id, from, CANCELLED).worker(worker).finishedAt(nowMs)
                        .event("CANCELLED", o.getError()), null);
            }
            default -> {
                if (o.getRetryable() && f.attempt < f.job.maxAttempts()) {
                    // A worker that died under the job is not the job's fault: it keeps its place at the head.
                    long runAt = o.getWorkerLost() ? Math.min(nowMs, f.job.runAtMs()) : nowMs + backoffMs.applyAsLong(f.attempt);
                    return new Draft(Kind.RETRY, StateChange.of(id, from, PENDING).error(o.getError()).worker(worker)
                            .runAt(runAt).event("FAILED", "attempt " + f.attempt + ": " + o.getError()),
                            f.job.again(runAt, f.attempt));
                }
                return new Draft(Kind.DEAD, StateChange.of(id, from, DEAD).error(o.getError()).worker(worker)
                        .finishedAt(nowMs).event("DEAD", "attempt " + f.attempt + ": " + o.getError()), null);
            }
        }
    }

    /**
     * A job whose node is gone (lost, left, or it never reported it after a leader change). The delivery counts as
     * an attempt, so the next delivery carries a new attempt number and (job, attempt) names one execution. If the
     * attempt was the last and the node confirmed it started, the job is DEAD; if its start was never confirmed, it
     * gets that try again even beyond its budget: a job never ends DEAD without having run.
     */
    Decision lost(InFlight f, String event, String detail, long nowMs) {
        long id = f.job.id();
        int attempts = Math.max(f.attempt, f.job.attempts());
        if (f.running && attempts >= f.job.maxAttempts()) {
            String why = detail + " during its last attempt (" + attempts + " of " + f.job.maxAttempts() + ")";
            return new Decision(Kind.DEAD, StateChange.of(id, ACTIVE, DEAD).via(RUNNING).attempts(attempts).error(why)
                    .finishedAt(nowMs).event("DEAD", why).build(), null);
        }
        return new Decision(Kind.RETRY, StateChange.of(id, ACTIVE, PENDING).attempts(attempts).event(event, detail)
                .build(), f.job.again(0, attempts));
    }
}

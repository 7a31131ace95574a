package io.earthling.manager.internal.dispatch;

import io.earthling.core.ReadyJob;
import io.earthling.protocol.manager.RunningJob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takeover: a new leader loads the jobs the previous one had handed out (ASSIGNED/RUNNING in the store) and waits a
 * grace for their nodes to report them; what a registering node reports is confirmed, adopted or stopped here, and
 * what nobody reports by the end of the grace runs again (docs/architecture.md, "Takeover"). Plain decisions; the
 * dispatcher applies them. Times are monotonic milliseconds.
 */
final class Reconciler {
    /** What to do with one job a registering node says it runs (or holds finished, unacknowledged). */
    enum Verdict {
        /** The job in flight here, on this node, same attempt: it is this node's; mark it confirmed. */
        CONFIRM,
        /**
         * Waits here as PENDING with the attempt the node reports: the previous leader delivered it and stopped before
         * the assignment was recorded. The node keeps it, the assignment is recorded now, nothing runs twice.
         */
        ADOPT,
        /** Another attempt, another node's, or a job this leader does not have: the node must stop it. */
        STOP
    }

    private final long graceMs;
    /** PENDING jobs found at takeover, held until the nodes the previous leader knew have registered again. */
    private final Map<Long, ReadyJob> held = new LinkedHashMap<>();
    private final Set<String> awaited = new HashSet<>();
    private long holdUntilMs;

    Reconciler(long graceMs) {
        this.graceMs = graceMs;
    }

    /**
     * Holds the PENDING jobs a new leader found until every node in {@code roster} (the nodes the previous leader
     * knew) has registered, at most a grace: one of them may run such a job already, delivered just before the
     * previous leader stopped and before its ASSIGNED was stored, and its registration adopts it (one execution per
     * attempt). False, and nothing held, when there is nobody to wait for.
     */
    boolean hold(List<ReadyJob> pending, Collection<String> roster, long nowMs) {
        if (roster.isEmpty() || pending.isEmpty()) {
            return false;
        }
        pending.forEach(j -> held.put(j.id(), j));
        awaited.addAll(roster);
        holdUntilMs = nowMs + graceMs;
        return true;
    }

    int heldCount() {
        return held.size();
    }

    /** Takes out the held jobs among {@code ids} (a registering node reports them). */
    Map<Long, ReadyJob> takeHeld(Collection<Long> ids) {
        Map<Long, ReadyJob> out = new HashMap<>();
        for (long id : ids) {
            ReadyJob j = held.remove(id);
            if (j != null) {
                out.put(id, j);
            }
        }
        return out;
    }

    /** A held job that was delayed is due at {@code nowMs} once released; false if it is not held. */
    boolean runNow(long id, long nowMs) {
        ReadyJob j = held.get(id);
        if (j == null) {
            return false;
        }
        held.put(id, j.again(nowMs, j.attempts()));
        return true;
    }

    /** A held job a registering node did not run: held again while the hold lasts; false if it is over. */
    boolean holdAgain(ReadyJob j) {
        if (awaited.isEmpty()) {
            return false;
        }
        held.put(j.id(), j);
        return true;
    }

    /** {@code nodeId} registered: the held jobs to run now if it was the last node awaited. */
    List<ReadyJob> registered(String nodeId) {
        awaited.remove(nodeId);
        return awaited.isEmpty() ? release() : List.of();
    }

    /** The held jobs to run now because the grace is over. */
    List<ReadyJob> holdExpired(long nowMs) {
        return !awaited.isEmpty() && nowMs >= holdUntilMs ? release() : List.of();
    }

    private List<ReadyJob> release() {
        awaited.clear();
        List<ReadyJob> out = new ArrayList<>(held.values());
        held.clear();
        return out;
    }

    /**
     * {@code f}: the job this leader has in flight under that id, or null; {@code waiting}: the job as it waits in
     * the ready queues, or null.
     */
    static Verdict classify(String nodeId, RunningJob r, InFlight f, ReadyJob waiting) {
        if (f == null) {
            return waiting != null && waiting.nextAttempt() == r.getAttempt() ? Verdict.ADOPT : Verdict.STOP;
        }
        // A job this leader gave to another node is that node's, even with the same attempt number.
        if (f.attempt != r.getAttempt() || f.confirmed && !nodeId.equals(f.node)) {
            return Verdict.STOP;
        }
        return Verdict.CONFIRM;
    }

    /** Jobs loaded at takeover: unconfirmed until their node reports them, at the latest {@code nowMs} + grace. */
    void loaded(List<InFlight> active, long nowMs) {
        for (InFlight f : active) {
            f.confirmed = false;
            f.deadlineMs = nowMs + graceMs;
        }
    }

    /** The jobs no node reported within the grace: they run again. */
    List<Long> expired(Map<Long, InFlight> inFlight, long nowMs) {
        List<Long> due = new ArrayList<>();
        inFlight.forEach((id, f) -> {
            if (!f.confirmed && nowMs >= f.deadlineMs) {
                due.add(id);
            }
        });
        return due;
    }

    /** This leader was paused for {@code gapMs}: the nodes had no chance to report meanwhile, so the grace moves on. */
    void paused(Map<Long, InFlight> inFlight, long gapMs) {
        holdUntilMs += gapMs;
        inFlight.values().forEach(f -> {
            if (!f.confirmed) {
                f.deadlineMs += gapMs;
            }
        });
    }

    long graceMs() {
        return graceMs;
    }
}

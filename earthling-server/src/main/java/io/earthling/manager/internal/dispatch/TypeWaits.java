package io.earthling.manager.internal.dispatch;

import io.earthling.core.ReadyJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jobs whose type no online node runs right now. Nodes are briefly away around failovers, pauses and restarts, so
 * such a job waits (PENDING, shown as "waiting for a worker of type X") instead of dying; it ends DEAD only when no
 * node has offered its type since this leader settled, or when it waited longer than the type wait
 * (docs/architecture.md, "Job types"). Plain decisions on monotonic milliseconds; dispatcher thread only.
 */
final class TypeWaits {
    /** What becomes of a job of a type. */
    enum Fate { READY, WAIT, BURY }

    /** What intake answers for a submitted type. */
    enum Intake { ACCEPT, RETRY_LATER, UNKNOWN }

    private record Parked(ReadyJob job, long sinceMs) {
    }

    private final long settledAtMs;
    private final long typeWaitMs;
    private final Map<String, List<Parked>> parked = new HashMap<>();

    /** {@code startedMs}: when this leader began; it settles a reconcile grace later, once nodes had time to register. */
    TypeWaits(long startedMs, long reconcileGraceMs, long typeWaitMs) {
        this.settledAtMs = startedMs + reconcileGraceMs;
        this.typeWaitMs = typeWaitMs;
    }

    /** The fate of a job of {@code type} that has waited since {@code sinceMs}. */
    Fate fate(String type, NodeTable nodes, long sinceMs, long nowMs) {
        if (nodes.offered().contains(type)) {
            return Fate.READY;
        }
        if (nowMs < settledAtMs || nodes.isEmpty()) {
            return Fate.WAIT; // nodes may still be on their way to this leader
        }
        if (nodes.everOffered().contains(type)) {
            return nowMs - sinceMs < typeWaitMs ? Fate.WAIT : Fate.BURY;
        }
        return Fate.BURY;
    }

    /** What a submission of {@code type} gets: accepted (it may wait), refused for now (retry), or refused as unknown. */
    Intake intake(String type, NodeTable nodes, long nowMs) {
        if (nodes.offered().contains(type) || nodes.everOffered().contains(type)) {
            return Intake.ACCEPT;
        }
        return nowMs < settledAtMs || nodes.offered().isEmpty() ? Intake.RETRY_LATER : Intake.UNKNOWN;
    }

    /** Why a buried job ends DEAD. */
    String why(String type, NodeTable nodes) {
        if (nodes.everOffered().contains(type)) {
            return "no worker of type '" + type + "' came back within " + typeWaitMs / 1000 + " s (timing.typeWaitMs)";
        }
        return "unknown job type '" + type + "': no connected worker can run it (known: "
                + String.join(", ", io.earthling.api.internal.InternalTypes.visible(nodes.offered())) + ")";
    }

    void park(ReadyJob job, long sinceMs) {
        parked.computeIfAbsent(job.type(), t -> new ArrayList<>()).add(new Parked(job, sinceMs));
    }

    boolean isEmpty() {
        return parked.isEmpty();
    }

    boolean remove(long id) {
        boolean removed = false;
        for (List<Parked> l : parked.values()) {
            removed |= l.removeIf(p -> p.job.id() == id);
        }
        parked.values().removeIf(List::isEmpty);
        return removed;
    }

    /** A parked job that was delayed is due at {@code nowMs} once its type's node comes; false if it is not here. */
    boolean runNow(long id, long nowMs) {
        for (List<Parked> l : parked.values()) {
            for (int i = 0; i < l.size(); i++) {
                Parked p = l.get(i);
                if (p.job.id() == id) {
                    l.set(i, new Parked(p.job.again(nowMs, p.job.attempts()), p.sinceMs));
                    return true;
                }
            }
        }
        return false;
    }

    /** Takes out the parked jobs whose fate is now READY ({@code ready}) or BURY ({@code buried}). */
    void review(NodeTable nodes, long nowMs, List<ReadyJob> ready, List<ReadyJob> buried) {
        for (Iterator<Map.Entry<String, List<Parked>>> it = parked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Parked>> e = it.next();
            for (Iterator<Parked> jobs = e.getValue().iterator(); jobs.hasNext(); ) {
                Parked p = jobs.next();
                Fate f = fate(e.getKey(), nodes, p.sinceMs, nowMs);
                if (f != Fate.WAIT) {
                    (f == Fate.READY ? ready : buried).add(p.job);
                    jobs.remove();
                }
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    /** Waiting jobs per type. */
    Map<String, Integer> counts() {
        Map<String, Integer> c = new TreeMap<>();
        parked.forEach((t, l) -> c.put(t, l.size()));
        return c;
    }
}

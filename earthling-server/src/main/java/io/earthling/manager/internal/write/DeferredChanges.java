package io.earthling.manager.internal.write;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** The writer's deferred changes, by job and by due time; only on the writer's thread. */
final class DeferredChanges {
    private final Map<Long, ArrayDeque<Part>> byJob = new HashMap<>();
    private final ArrayDeque<Due> byDue = new ArrayDeque<>();

    /** Defers the changes of {@code r} marked in {@code which}. */
    void add(WriteRequest r, boolean[] which, long dueNanos) {
        for (int i = 0; i < r.changes.size(); i++) {
            if (which[i]) {
                byJob.computeIfAbsent(r.changes.get(i).jobId(), id -> new ArrayDeque<>()).add(new Part(r, i));
            }
        }
        byDue.add(new Due(r, dueNanos));
    }

    /** Moves every deferred change of the job into the batch, in the order they came. */
    void takeJob(long jobId, WriteBatch batch) {
        ArrayDeque<Part> parts = byJob.remove(jobId);
        if (parts != null) {
            parts.forEach(p -> batch.add(p.request, p.index));
        }
    }

    /** Moves the changes whose linger is over into the batch (with any later deferred change of their jobs). */
    void takeDue(long nowNanos, WriteBatch batch) {
        while (!byDue.isEmpty() && (nowNanos == Long.MAX_VALUE || byDue.peek().nanos - nowNanos <= 0)) {
            WriteRequest r = byDue.poll().request;
            r.changes.forEach(ch -> takeJob(ch.jobId(), batch));
        }
    }

    /** Moves every deferred change into the batch. */
    void takeAll(WriteBatch batch) {
        takeDue(Long.MAX_VALUE, batch);
    }

    boolean isEmpty() {
        return byDue.isEmpty();
    }

    long nextDueNanos() {
        return byDue.peek().nanos;
    }

    private record Part(WriteRequest request, int index) {
    }

    private record Due(WriteRequest request, long nanos) {
    }
}

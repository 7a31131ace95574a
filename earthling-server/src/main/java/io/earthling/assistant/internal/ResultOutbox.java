package io.earthling.assistant.internal;

import io.earthling.protocol.manager.JobOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Outcomes waiting to be acknowledged by the leader. Nothing is dropped until the leader says it is durable. */
final class ResultOutbox {
    private final LinkedBlockingQueue<JobOutcome> queue = new LinkedBlockingQueue<>();
    private final List<JobOutcome> unacked = new ArrayList<>();

    void add(JobOutcome o) {
        queue.add(o);
    }

    /** The batch to send: those not yet acknowledged plus new ones, waiting up to {@code waitMs} for any. */
    List<JobOutcome> next(int max, long waitMs) throws InterruptedException {
        if (unacked.isEmpty()) {
            JobOutcome first = queue.poll(waitMs, TimeUnit.MILLISECONDS);
            if (first == null) {
                return List.of();
            }
            unacked.add(first);
        }
        queue.drainTo(unacked, Math.max(0, max - unacked.size()));
        return List.copyOf(unacked);
    }

    void acknowledged() {
        unacked.clear();
    }

    /** Every outcome not yet acknowledged, oldest first; only on the thread that calls {@link #next}. */
    List<JobOutcome> unacknowledged() {
        List<JobOutcome> all = new ArrayList<>(unacked);
        all.addAll(queue);
        return all;
    }

    int waiting() {
        return unacked.size() + queue.size();
    }
}

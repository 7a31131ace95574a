package io.earthling.assistant.internal;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers and how many jobs each holds. An idle worker is taken first. A worker process whose last job was
 * quick may hold more, up to a window, so that it never waits a round trip for its next job; one whose jobs are
 * slow holds one at a time, so that nothing waits behind it while another worker could run it.
 */
final class SlotPool {
    /** A worker whose last job ran at most this long counts as quick. */
    static final long QUICK_MS = io.earthling.worker.WorkerServer.SLOW_MS;

    private static final class Load {
        int held;
        boolean quick;
    }

    private final List<WorkerSlot> all;
    private final Map<WorkerSlot, Load> load = new IdentityHashMap<>();
    private int next;
    /** How long this node's jobs ran lately (moving average, ms); negative until one has. */
    private double recentRunMs = -1;

    SlotPool(List<WorkerSlot> all) {
        this.all = List.copyOf(all);
        this.all.forEach(s -> load.put(s, new Load()));
    }

    /** An idle, healthy worker, or null. */
    synchronized WorkerSlot take() {
        return takeUpTo(1);
    }

    /** An idle, healthy worker that runs {@code type}, or null. */
    synchronized WorkerSlot take(String type) {
        return takeUpTo(1, type);
    }

    /** An idle worker, else the quick one holding fewest jobs below {@code window}; null if none. */
    synchronized WorkerSlot takeUpTo(int window) {
        return takeUpTo(window, null);
    }

    /** {@link #takeUpTo(int)} among the workers that run {@code type} (any worker when null). */
    synchronized WorkerSlot takeUpTo(int window, String type) {
        WorkerSlot best = null;
        int bestHeld = Integer.MAX_VALUE;
        for (int i = 0; i < all.size(); i++) {
            WorkerSlot s = all.get((next + i) % all.size());
            Load l = load.get(s);
            boolean room = l.held == 0 || l.quick && s.holdsMore() && l.held < window;
            if (room && l.held < bestHeld && s.healthy() && (type == null || s.runs(type))) {
                best = s;
                bestHeld = l.held;
            }
        }
        if (best != null) {
            load.get(best).held++;
            next = (all.indexOf(best) + 1) % all.size();
        }
        return best;
    }

    /** The worker ended a job that ran {@code ranMs} (negative: it did not run to its end). */
    synchronized void giveBack(WorkerSlot s, long ranMs) {
        Load l = load.get(s);
        l.held = Math.max(0, l.held - 1);
        l.quick = ranMs >= 0 && ranMs <= QUICK_MS;
        if (ranMs >= 0) {
            recentRunMs = recentRunMs < 0 ? ranMs : recentRunMs + 0.05 * (ranMs - recentRunMs);
        }
    }

    /** The moving average of how long this node's jobs ran (ms), or -1 before the first one ended. */
    synchronized double recentRunMs() {
        return recentRunMs;
    }

    /** Undoes a {@link #takeUpTo} whose job was not sent after all. */
    synchronized void untake(WorkerSlot s) {
        Load l = load.get(s);
        l.held = Math.max(0, l.held - 1);
    }

    /** The worker handed a job back unstarted: it is busy with a slow one. */
    synchronized void handedBack(WorkerSlot s) {
        giveBack(s, -1);
    }

    synchronized int idleCount() {
        int n = 0;
        for (WorkerSlot s : all) {
            if (load.get(s).held == 0 && s.healthy()) {
                n++;
            }
        }
        return n;
    }

    int healthyCount() {
        int n = 0;
        for (WorkerSlot s : all) {
            if (s.healthy()) {
                n++;
            }
        }
        return n;
    }

    int size() {
        return all.size();
    }

    List<WorkerSlot> all() {
        return all;
    }
}

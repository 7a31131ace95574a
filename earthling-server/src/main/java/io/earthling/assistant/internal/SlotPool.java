package io.earthling.assistant.internal;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** The idle workers. A worker is taken for one job and given back when it is done. */
final class SlotPool {
    private final List<WorkerSlot> all;
    private final ConcurrentLinkedDeque<WorkerSlot> idle = new ConcurrentLinkedDeque<>();

    SlotPool(List<WorkerSlot> all) {
        this.all = List.copyOf(all);
        idle.addAll(all);
    }

    /** An idle, healthy worker, or null. */
    WorkerSlot take() {
        for (int i = all.size(); i > 0; i--) {
            WorkerSlot s = idle.pollFirst();
            if (s == null) {
                return null;
            }
            if (s.healthy()) {
                return s;
            }
            idle.addLast(s); // restarting; it counts as busy until it is back
        }
        return null;
    }

    void giveBack(WorkerSlot s) {
        idle.addLast(s);
    }

    int idleCount() {
        return healthy(idle);
    }

    int healthyCount() {
        return healthy(all);
    }

    private static int healthy(Iterable<WorkerSlot> slots) {
        int n = 0;
        for (WorkerSlot s : slots) {
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

package io.earthling.manager.internal.dispatch;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PENDING jobs the leader does not hold in its ready queues, by id only: what a large backlog leaves in the database
 * (docs/architecture.md, "Backpressure"). Per queue first in, first out; {@link #take} pages ids back in, the queues
 * taking turns, so one queue's million jobs never keep another queue's new ones out. Eight bytes a job, where a job
 * held ready costs its payload and a few hundred bytes more. Not thread-safe: the dispatcher owns it.
 */
final class Backlog {
    private final Map<String, Ids> byQueue = new LinkedHashMap<>();
    private long size;

    /** A growable ring of ids. */
    private static final class Ids {
        long[] ring = new long[16];
        int head;
        int count;

        void add(long id) {
            if (count == ring.length) {
                long[] bigger = new long[ring.length * 2];
                for (int i = 0; i < count; i++) {
                    bigger[i] = ring[(head + i) % ring.length];
                }
                ring = bigger;
                head = 0;
            }
            ring[(head + count) % ring.length] = id;
            count++;
        }

        long poll() {
            long id = ring[head];
            head = (head + 1) % ring.length;
            count--;
            return id;
        }

        boolean remove(long id) {
            for (int i = 0; i < count; i++) {
                if (ring[(head + i) % ring.length] == id) {
                    for (int j = i; j < count - 1; j++) {
                        ring[(head + j) % ring.length] = ring[(head + j + 1) % ring.length];
                    }
                    count--;
                    return true;
                }
            }
            return false;
        }
    }

    void add(String queue, long id) {
        byQueue.computeIfAbsent(queue, q -> new Ids()).add(id);
        size++;
    }

    /** {@code ids} of {@code queue}, in order, behind those already here. */
    void addAll(String queue, long[] ids) {
        Ids q = byQueue.computeIfAbsent(queue, x -> new Ids());
        Arrays.stream(ids).forEach(q::add);
        size += ids.length;
    }

    /** Whether {@code queue} has jobs here: a new job of it goes behind them. */
    boolean has(String queue) {
        Ids q = byQueue.get(queue);
        return q != null && q.count > 0;
    }

    long size() {
        return size;
    }

    int size(String queue) {
        Ids q = byQueue.get(queue);
        return q == null ? 0 : q.count;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Up to {@code n} ids with their queues, oldest first within each queue, the queues taking one turn each in
     * order.
     */
    Map<Long, String> take(int n) {
        return take(n, q -> true);
    }

    /** {@link #take(int)} from the queues {@code which} accepts only. */
    Map<Long, String> take(int n, java.util.function.Predicate<String> which) {
        Map<Long, String> out = new LinkedHashMap<>();
        boolean any = true;
        while (out.size() < n && size > 0 && any) {
            any = false;
            Iterator<Map.Entry<String, Ids>> it = byQueue.entrySet().iterator();
            while (it.hasNext() && out.size() < n) {
                Map.Entry<String, Ids> e = it.next();
                Ids q = e.getValue();
                if (q.count == 0) {
                    it.remove();
                    continue;
                }
                if (!which.test(e.getKey())) {
                    continue;
                }
                any = true;
                out.put(q.poll(), e.getKey());
                size--;
            }
        }
        return out;
    }

    /** Takes {@code id} out (a cancel); false if it is not here. Linear in the queue's length: cancels are rare. */
    boolean remove(long id) {
        for (Ids q : byQueue.values()) {
            if (q.remove(id)) {
                size--;
                return true;
            }
        }
        return false;
    }
}

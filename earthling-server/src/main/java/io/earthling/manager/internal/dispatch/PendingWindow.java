package io.earthling.manager.internal.dispatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a new leader holds of the PENDING jobs it finds: {@code now}, the first {@code window} ids with the queues
 * taking turns (read whole and held ready, and held back at takeover like every job it loads), and {@code later},
 * the rest of each queue's ids, which wait in the backlog until the window empties.
 */
public record PendingWindow(List<Long> now, Map<String, long[]> later) {

    /**
     * Splits {@code byQueue} (each queue's ids in the order they should run) at {@code window} jobs, at most
     * {@code perQueue} of one queue.
     */
    public static PendingWindow of(Map<String, long[]> byQueue, int window, int perQueue) {
        List<Long> now = new ArrayList<>();
        Map<String, Integer> taken = new LinkedHashMap<>();
        byQueue.keySet().forEach(q -> taken.put(q, 0));
        boolean more = true;
        while (now.size() < window && more) {
            more = false;
            for (Map.Entry<String, long[]> e : byQueue.entrySet()) {
                int i = taken.get(e.getKey());
                if (i < e.getValue().length && i < perQueue && now.size() < window) {
                    now.add(e.getValue()[i]);
                    taken.put(e.getKey(), i + 1);
                    more = true;
                }
            }
        }
        Map<String, long[]> later = new LinkedHashMap<>();
        byQueue.forEach((q, ids) -> {
            int i = taken.get(q);
            if (i < ids.length) {
                later.put(q, Arrays.copyOfRange(ids, i, ids.length));
            }
        });
        return new PendingWindow(now, later);
    }
}

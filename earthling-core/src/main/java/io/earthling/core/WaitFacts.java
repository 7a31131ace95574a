package io.earthling.core;

import java.util.Map;
import java.util.Set;

/**
 * What the leader's dispatcher knows at one moment that explains why a job waits: its queues, the types online
 * nodes run ({@code offeredTypes}) and those with a free worker ({@code freeTypes}), how many jobs of each held
 * concurrency key run ({@code keyRunning}), and when the next start comes for queues held by their rate
 * ({@code rateUntilMs}). {@link #known} is false on a standby, which only sees the job rows.
 */
public record WaitFacts(long nowMs, boolean known, Map<String, QueueSnapshot> queues, Set<String> offeredTypes,
                        Set<String> freeTypes, Map<String, Integer> keyRunning, Map<String, Long> rateUntilMs) {

    /** Only the clock: what a manager that does not lead can tell from a job row. */
    public static WaitFacts rowsOnly(long nowMs) {
        return new WaitFacts(nowMs, false, Map.of(), Set.of(), Set.of(), Map.of(), Map.of());
    }
}

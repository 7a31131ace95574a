package io.earthling.core;

import io.earthling.api.JobState;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long finished jobs are kept, per final state, with overrides per queue (config {@code retention}); an age of 0
 * keeps that state forever. A job expires {@code age} after it finished; a split child or pipeline stage is never
 * judged on its own: it goes with its parent (docs/operations.md, "Retention").
 */
public record Retention(Map<JobState, Long> ageMs, Map<String, Map<JobState, Long>> queueAgeMs) {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    /** Succeeded jobs a day, cancelled a week, dead two weeks: long enough to look into a failure after a weekend. */
    public static final Retention DEFAULT = new Retention(
            Map.of(JobState.SUCCEEDED, DAY, JobState.CANCELLED, 7 * DAY, JobState.DEAD, 14 * DAY), Map.of());

    /** Nothing is ever deleted. */
    public static final Retention KEEP_ALL = new Retention(Map.of(), Map.of());

    public Retention {
        EnumMap<JobState, Long> ages = new EnumMap<>(JobState.class);
        ageMs.forEach((s, ms) -> ages.put(requireFinal(s), requireAge(ms)));
        ageMs = Map.copyOf(ages);
        Map<String, Map<JobState, Long>> queues = new LinkedHashMap<>();
        queueAgeMs.forEach((q, m) -> {
            EnumMap<JobState, Long> qa = new EnumMap<>(JobState.class);
            m.forEach((s, ms) -> qa.put(requireFinal(s), requireAge(ms)));
            queues.put(q, Map.copyOf(qa));
        });
        queueAgeMs = Map.copyOf(queues);
    }

    /** Every final state kept {@code ms} (0: forever) in every queue: an operator's purge. */
    public static Retention olderThan(long ms) {
        return new Retention(Map.of(JobState.SUCCEEDED, ms, JobState.CANCELLED, ms, JobState.DEAD, ms), Map.of());
    }

    /** How long a job of {@code state} in {@code queue} is kept after it finished, in ms; 0 = forever. */
    public long ageMs(JobState state, String queue) {
        Map<JobState, Long> q = queueAgeMs.get(queue);
        if (q != null && q.containsKey(state)) {
            return q.get(state);
        }
        return ageMs.getOrDefault(state, 0L);
    }

    /** Whether a top-level job of {@code state} in {@code queue} that finished at {@code finishedAtMs} is due. */
    public boolean expired(JobState state, String queue, long finishedAtMs, long nowMs) {
        long age = ageMs(state, queue);
        return age > 0 && finishedAtMs <= nowMs - age;
    }

    /**
     * The shortest age after which any job of {@code state} may expire, over every queue; 0 if none of that state ever
     * does. A job created less than this ago has not expired, nor has any later one: a pass over the state, in id
     * order, stops there.
     */
    public long shortestMs(JobState state) {
        long shortest = ageMs.getOrDefault(state, 0L);
        for (Map<JobState, Long> q : queueAgeMs.values()) {
            long age = q.getOrDefault(state, -1L);
            if (age > 0 && (shortest == 0 || age < shortest)) {
                shortest = age;
            }
        }
        return shortest;
    }

    /** True when nothing ever expires. */
    public boolean keepsAll() {
        return java.util.Arrays.stream(JobState.values()).filter(JobState::isFinal).allMatch(s -> shortestMs(s) == 0);
    }

    private static JobState requireFinal(JobState s) {
        if (!s.isFinal()) {
            throw new IllegalArgumentException(s + " is not a final state: only finished jobs expire");
        }
        return s;
    }

    private static long requireAge(Long ms) {
        if (ms == null || ms < 0) {
            throw new IllegalArgumentException("a retention age is 0 (forever) or positive, got " + ms);
        }
        return ms;
    }
}

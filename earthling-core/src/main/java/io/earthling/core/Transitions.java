package io.earthling.core;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.GATHERING;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static io.earthling.api.JobState.WAITING;

import io.earthling.api.JobState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of allowed state moves (docs/architecture.md, "Data model and transitions"). Every state change is checked against it. */
public final class Transitions {
    private static final Map<JobState, Set<JobState>> ALLOWED = new EnumMap<>(JobState.class);

    static {
        // PENDING -> PENDING: an operator runs a delayed job now (its run_at moves; earthling run-now).
        ALLOWED.put(PENDING, EnumSet.of(PENDING, ASSIGNED, DEAD, CANCELLED));
        // ASSIGNED -> PENDING: refused by the node (redirect) or the node was lost.
        ALLOWED.put(ASSIGNED, EnumSet.of(RUNNING, PENDING, CANCELLED));
        // RUNNING -> WAITING: the handler answered with a split; its children are stored in the same write.
        ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, PENDING, DEAD, CANCELLED, WAITING));
        // WAITING -> GATHERING once every child is final (the gather job is created in the same write), or
        // WAITING -> DEAD at once when a child failed under the fail-fast policy.
        ALLOWED.put(WAITING, EnumSet.of(GATHERING, DEAD, CANCELLED));
        ALLOWED.put(GATHERING, EnumSet.of(SUCCEEDED, DEAD, CANCELLED));
        ALLOWED.put(SUCCEEDED, EnumSet.noneOf(JobState.class));
        // DEAD -> PENDING: an operator retries a dead job with a fresh attempt budget (earthling retry).
        ALLOWED.put(DEAD, EnumSet.of(PENDING));
        ALLOWED.put(CANCELLED, EnumSet.noneOf(JobState.class));
    }

    private Transitions() {
    }

    public static boolean allowed(JobState from, JobState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** The states a job may be in just before moving to {@code to}. */
    public static Set<JobState> sourcesOf(JobState to) {
        EnumSet<JobState> from = EnumSet.noneOf(JobState.class);
        ALLOWED.forEach((f, tos) -> {
            if (tos.contains(to)) {
                from.add(f);
            }
        });
        return from;
    }

    public static void check(JobState from, JobState to) {
        if (!allowed(from, to)) {
            throw new IllegalTransitionException(from, to);
        }
    }
}

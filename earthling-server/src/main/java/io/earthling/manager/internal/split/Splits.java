package io.earthling.manager.internal.split;

import static io.earthling.api.JobState.WAITING;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.api.Split;
import io.earthling.store.SplitPlan;
import io.earthling.store.StateChange;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A succeeded attempt whose result is a {@link Split}: the job parks (WAITING) and its children are stored. */
public final class Splits {
    private static final Logger log = LoggerFactory.getLogger(Splits.class);
    private Splits() {
    }

    /** The parking move for a result the worker marked as a split, or null if it does not parse as one. */
    public static StateChange.Builder park(long id, Set<JobState> from, String result, String queue, String worker) {
        Split split;
        try {
            split = Split.parse(result).orElse(null);
        } catch (EarthlingException e) {
            log.warn("Job {} answered with a malformed split ({}); it fails", id, e.getMessage());
            return null;
        }
        if (split == null) {
            return null;
        }
        return StateChange.of(id, from, WAITING).split(new SplitPlan(split, queue)).worker(worker)
                .event("WAITING", "split into " + split.size() + " children, gathered by " + split.gatherType());
    }
}

package io.earthling.manager.internal.retention;

import io.earthling.api.JobState;
import io.earthling.core.Retention;
import io.earthling.manager.internal.intake.Deletes;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.store.FinishedJob;
import io.earthling.store.JobStore;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass of retention over the finished jobs (docs/operations.md, "Retention"): each final state in id order, a
 * page at a time, from its oldest job up to the first one created too recently to have expired. An expired top-level
 * job goes with its whole tree (split children, pipeline stages), children first, through the writer in chunks, so
 * the running jobs' writes go on in between. Not thread-safe: one thread steps it.
 */
public final class RetentionSweep {
    /** Jobs read per page: one indexed query. */
    static final int PAGE = 500;
    /** Levels of children followed below a job; splits nest a few levels deep at most. */
    private static final int MAX_DEPTH = 32;

    /** What one page says: the expired top-level jobs on it, where the next page starts, whether the state is done. */
    record Page(List<Long> expired, long next, boolean done) {
    }

    private final JobStore store;
    private final WriteBatcher writer;
    private final Clock clock;
    private final Retention policy;
    private final Deque<JobState> states = new ArrayDeque<>();
    private long cursor;
    private long deleted;

    public RetentionSweep(JobStore store, WriteBatcher writer, Clock clock, Retention policy) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.policy = policy;
        for (JobState s : List.of(JobState.SUCCEEDED, JobState.CANCELLED, JobState.DEAD)) {
            if (policy.shortestMs(s) > 0) {
                states.add(s);
            }
        }
    }

    /**
     * Judges one page of {@code rows} (one final state, in id order, at most {@code limit}): a row created less than
     * the state's shortest age before {@code nowMs} ends the state, as every later id was created later still.
     */
    static Page judge(List<FinishedJob> rows, Retention policy, long nowMs, long cursor, int limit) {
        List<Long> expired = new ArrayList<>();
        long next = cursor;
        for (FinishedJob j : rows) {
            if (j.createdAtMs() > nowMs - policy.shortestMs(j.state())) {
                return new Page(expired, next, true);
            }
            if (j.parentId() == 0 && policy.expired(j.state(), j.queue(), j.finishedAtMs(), nowMs)) {
                expired.add(j.id());
            }
            next = j.id();
        }
        return new Page(expired, next, rows.size() < limit);
    }

    /** Reads and deletes one page; false once the pass is over. Returns with the page's deletes written. */
    public boolean step() {
        JobState state = states.peek();
        if (state == null) {
            return false;
        }
        Page page = judge(store.finished(state, cursor, PAGE), policy, clock.millis(), cursor, PAGE);
        cursor = page.next();
        if (!page.expired().isEmpty()) {
            deleteTrees(page.expired());
        }
        if (page.done()) {
            states.poll();
            cursor = 0;
        }
        return !states.isEmpty();
    }

    /** Steps to the end of the pass; the number of jobs it deleted. */
    public long runToEnd() {
        while (step()) {
            // each step is one page
        }
        return deleted;
    }

    /** Jobs deleted so far by this pass, children included. */
    public long deleted() {
        return deleted;
    }

    /**
     * Deletes each expired job with its tree, children first (deepest level first); a job one of whose descendants
     * could not go (not finished yet) stays, so no child is ever left without its parent. It comes up again next pass.
     */
    private void deleteTrees(List<Long> tops) {
        Map<Long, Long> rootOf = new HashMap<>();
        tops.forEach(t -> rootOf.put(t, t));
        List<List<Long>> levels = new ArrayList<>();
        Collection<Long> frontier = tops;
        for (int depth = 0; depth < MAX_DEPTH && !frontier.isEmpty(); depth++) {
            Map<Long, Long> children = store.children(frontier);
            children.forEach((child, parent) -> rootOf.put(child, rootOf.get(parent)));
            if (!children.isEmpty()) {
                levels.add(List.copyOf(children.keySet()));
            }
            frontier = children.keySet();
        }
        Set<Long> keptBack = new HashSet<>();
        for (int i = levels.size() - 1; i >= 0; i--) {
            List<Long> level = levels.get(i).stream().filter(id -> !keptBack.contains(rootOf.get(id))).toList();
            Set<Long> gone = new HashSet<>(Deletes.apply(writer, level).join());
            deleted += gone.size();
            level.stream().filter(id -> !gone.contains(id)).forEach(id -> keptBack.add(rootOf.get(id)));
        }
        List<Long> goes = tops.stream().filter(t -> !keptBack.contains(t)).toList();
        deleted += Deletes.apply(writer, goes).join().size();
    }
}

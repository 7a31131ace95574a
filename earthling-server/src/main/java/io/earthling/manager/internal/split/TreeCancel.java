package io.earthling.manager.internal.split;

import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.GATHERING;
import static io.earthling.api.JobState.WAITING;

import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.store.JobStore;
import io.earthling.store.SplitStore;
import io.earthling.store.StateChange;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Cancels a job and everything below it: parents (WAITING, GATHERING) first, so the gatherer cannot start a gather
 * under them, then their children a page at a time, through the dispatcher for the ones it holds. Running children
 * are not interrupted; their results arrive stale and are dropped.
 */
public final class TreeCancel {
    private static final int PAGE = 1000;

    private TreeCancel() {
    }

    /** Returns how many jobs it cancelled or asked the dispatcher to cancel. */
    public static int cancel(long root, JobStore jobs, SplitStore splits, Leadership l) {
        Deque<Long> parents = new ArrayDeque<>();
        int n = 0;
        if (cancelParent(root, jobs, l)) {
            parents.add(root);
            n++;
        } else {
            l.dispatcher().cancel(root, node -> { }, err -> { });
            return 1;
        }
        while (!parents.isEmpty()) {
            long parent = parents.poll();
            long after = 0;
            List<SplitStore.Child> page;
            do {
                page = splits.children(parent, after, PAGE);
                for (SplitStore.Child c : page) {
                    after = c.id();
                    n += cancelOne(c, jobs, l, parents);
                }
            } while (page.size() == PAGE);
            Optional<SplitStore.Child> gather = splits.gatherJob(parent);
            if (gather.isPresent()) {
                n += cancelOne(gather.get(), jobs, l, parents);
            }
        }
        return n;
    }

    private static int cancelOne(SplitStore.Child c, JobStore jobs, Leadership l, Deque<Long> parents) {
        if (c.state().isFinal()) {
            return 0;
        }
        if ((c.state() == WAITING || c.state() == GATHERING) && cancelParent(c.id(), jobs, l)) {
            parents.add(c.id());
        } else {
            l.dispatcher().cancel(c.id(), node -> { }, err -> { });
        }
        return 1;
    }

    private static boolean cancelParent(long id, JobStore jobs, Leadership l) {
        boolean applied = jobs.apply(List.of(StateChange.of(id, EnumSet.of(WAITING, GATHERING), CANCELLED)
                .finishedAt(System.currentTimeMillis()).event("CANCELLED", "by request, with everything below it")
                .build()), l.epoch())[0];
        if (applied) {
            l.waiters().done(id);
        }
        return applied;
    }
}

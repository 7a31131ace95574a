package io.earthling.manager.internal.split;

import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.GATHERING;
import static io.earthling.api.JobState.SUCCEEDED;
import static io.earthling.api.JobState.WAITING;

import io.earthling.api.JobState;
import io.earthling.api.Split;
import io.earthling.core.MonotonicClock;
import io.earthling.manager.internal.leadership.LeaderLoop;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.SplitStore;
import io.earthling.store.StateChange;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves split parents on, from the leader, by the counters their children's writes keep: WAITING with every child
 * final starts the gather job; a failed child under fail-fast makes the parent DEAD; GATHERING with its gather job
 * final ends the parent with the gather's result. One thread, state-guarded writes: a gather starts once. A stored
 * split {@link #nudge() nudges} it to look again at once.
 */
public final class Gatherer extends LeaderLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Gatherer.class);
    private static final int PARENTS_PER_ROUND = 100;
    /** With no split in progress the gatherer waits for a nudge; this backstop costs one query a minute. */
    private static final Duration IDLE_BACKSTOP = Duration.ofMinutes(1);

    private final SplitStore splits;
    private final JobStore jobs;
    private final Leadership leadership;
    private final Duration interval;
    private final Clock clock;

    public Gatherer(SplitStore splits, JobStore jobs, Leadership leadership, long intervalMs) {
        this(splits, jobs, leadership, Duration.ofMillis(intervalMs), Clock.systemUTC(), MonotonicClock.SYSTEM);
    }

    /**
     * @param interval how often to look while a split is in progress, and the wait after a failed round
     * @param clock    the time parents end at
     * @param ticks    measures the waits
     */
    Gatherer(SplitStore splits, JobStore jobs, Leadership leadership, Duration interval, Clock clock,
             MonotonicClock ticks) {
        super("earthling-gatherer", ticks, interval);
        this.splits = splits;
        this.jobs = jobs;
        this.leadership = leadership;
        this.interval = interval;
        this.clock = clock;
    }

    /** Runs the loop on the caller's thread, for an owner that spawns it; {@link #start()} gives it its own. */
    @Override
    public void run() {
        runOnCallingThread();
    }

    /** A round; if nothing moved, polls only while a split is in progress, so an idle cluster costs the DB nothing. */
    @Override
    protected Duration iterate() {
        if (round() > 0) {
            return Duration.ZERO;
        }
        return splits.anyInProgress() ? interval : IDLE_BACKSTOP;
    }

    /** One pass over the parents that can move; returns how many moved. */
    int round() {
        int moved = 0;
        for (SplitStore.Parent p : splits.ready(PARENTS_PER_ROUND)) {
            if (p.state() == GATHERING) {
                moved += finish(p) ? 1 : 0;
            } else if (p.childrenFailed() > 0 && p.policy() == Split.OnChildFailure.FAIL_FAST) {
                moved += failFast(p) ? 1 : 0;
            } else {
                moved += startGather(p) ? 1 : 0;
            }
        }
        return moved;
    }

    private boolean startGather(SplitStore.Parent p) {
        String payload = GatherInput.build(splits, p);
        NewJob gather = new NewJob(p.queue(), p.gatherType(), payload, p.priority(), 0, 0, 0, null, null);
        boolean started = splits.startGather(p.id(), gather, leadership.epoch());
        if (started) {
            leadership.dispatcher().childrenStoredSignal().run();
        }
        return started;
    }

    private boolean finish(SplitStore.Parent p) {
        Optional<SplitStore.Child> g = splits.gatherJob(p.id());
        if (g.isEmpty() || !g.get().state().isFinal()) {
            return false;
        }
        SplitStore.Child gather = g.get();
        StateChange.Builder b = gather.state() == SUCCEEDED
                ? StateChange.of(p.id(), EnumSet.of(GATHERING), SUCCEEDED).result(gather.result())
                        .event("SUCCEEDED", "gathered by job " + gather.id())
                : dead(p.id(), EnumSet.of(GATHERING), "gather job " + gather.id() + " ended " + gather.state()
                        + (gather.error() == null ? "" : ": " + gather.error()));
        return end(p.id(), b);
    }

    private boolean failFast(SplitStore.Parent p) {
        Optional<SplitStore.Child> bad = splits.firstFailed(p.id());
        String why = bad.map(c -> "child " + c.id() + " ended " + c.state()
                + (c.error() == null ? "" : ": " + c.error()))
                .orElse("a child failed");
        if (!end(p.id(), dead(p.id(), EnumSet.of(WAITING), why))) {
            return false;
        }
        cancelChildren(p.id());
        return true;
    }

    /** Fail fast: the children not yet started are cancelled a page at a time; running ones finish unheeded. */
    private void cancelChildren(long parent) {
        long after = 0;
        int cancelled = 0;
        List<Long> ids;
        do {
            ids = splits.unfinished(parent, after, 1000);
            ids.forEach(id -> leadership.dispatcher().cancel(id, node -> { }, err -> { }));
            cancelled += ids.size();
            after = ids.isEmpty() ? after : ids.get(ids.size() - 1);
        } while (ids.size() == 1000);
        log.info("Split {} failed fast; {} of its children not yet final are cancelled", parent, cancelled);
    }

    private static StateChange.Builder dead(long id, Set<JobState> from, String why) {
        return StateChange.of(id, from, DEAD).error(why).event("DEAD", why);
    }

    private boolean end(long id, StateChange.Builder b) {
        boolean applied = jobs.apply(List.of(b.finishedAt(clock.millis()).build()), leadership.epoch())[0];
        if (applied) {
            leadership.waiters().done(id);
        }
        return applied;
    }
}

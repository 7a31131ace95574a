package io.earthling.store;

import io.earthling.api.JobState;
import io.earthling.api.Split;
import java.util.List;
import java.util.Optional;

/**
 * The parents of splits, for the leading manager's gatherer. A parent's counters move with its children's
 * state changes in {@link JobStore#apply}; here it is found once they say it can move on.
 */
public interface SplitStore {

    /** A WAITING or GATHERING job; {@code childrenLeft} counts children (then its gather job) not yet final. */
    record Parent(long id, String queue, JobState state, int childrenLeft, int childrenFailed, String gatherType,
                  Split.OnChildFailure policy, String payload, int priority) {
    }

    /** A child of a split (or its gather job) as the gather sees it. */
    record Child(long id, JobState state, String result, String error) {
    }

    /**
     * Up to {@code limit} parents that can move on: WAITING with no child left or, under fail-fast, a failed
     * child; GATHERING with its gather job final.
     */
    List<Parent> ready(int limit);

    /**
     * How many split parents stand above the job (0 for a job submitted by a client), counting at most
     * {@code limit + 1}: one primary-key lookup per level.
     */
    int depth(long jobId, int limit);

    /** True while some job is WAITING or GATHERING (one indexed lookup). */
    boolean anyInProgress();

    /** One page of a parent's children in child order (id order), those with id above {@code afterId}. */
    List<Child> children(long parentId, long afterId, int limit);

    /** The first child that ended DEAD or CANCELLED. */
    Optional<Child> firstFailed(long parentId);

    Optional<Child> gatherJob(long parentId);

    /** How many children a parent has (its gather job not counted), and how many of them are final. */
    long[] childCounts(long parentId);

    /** Up to {@code limit} children not yet final (their ids, above {@code afterId}), for cancelling them. */
    List<Long> unfinished(long parentId, long afterId, int limit);

    /**
     * WAITING to GATHERING and the gather job inserted (for the sweep to pick up), in one fenced transaction.
     * False, and nothing written, if the parent is not WAITING any more: a gather starts once.
     */
    boolean startGather(long parentId, NewJob gather, long epoch);
}

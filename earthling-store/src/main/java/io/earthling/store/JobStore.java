package io.earthling.store;

import java.util.List;
import java.util.Optional;

/**
 * The job tables. Only the leading manager calls this. Every write is fenced: it commits only while
 * {@code epoch} is still the epoch of the leader lease, checked in the same transaction, else it throws
 * {@link FencedException} and changes nothing.
 */
public interface JobStore {

    /**
     * Inserts jobs in one transaction (picked_up = true), in order. A job whose (queue, idempotency key) is taken,
     * by an earlier job in the table or in {@code jobs}, is not inserted: it gets that job's id, not created.
     */
    List<Inserted> add(List<NewJob> jobs, long epoch);

    /** {@link #add} when only the ids matter. */
    default List<Long> insert(List<NewJob> jobs, long epoch) {
        return add(jobs, epoch).stream().map(Inserted::id).toList();
    }

    /**
     * Applies state changes and their events in one transaction. A change whose job is no longer in one of
     * {@link StateChange#from()} is skipped; the result says, per change, whether it was applied.
     */
    boolean[] apply(List<StateChange> changes, long epoch);

    /** PENDING, ASSIGNED and RUNNING jobs, to rebuild the ready queues when a manager becomes leader. */
    List<StoredJob> loadActive();

    /** ASSIGNED and RUNNING jobs (as many as the cluster's workers hold), for a new leader. */
    List<StoredJob> loadInFlight();

    /**
     * The ids of the picked-up PENDING jobs by queue, each queue's in the order they should run (higher priority,
     * then earlier run-at, then id): a new leader holds a window of them ready and pages the rest in, so a backlog of
     * millions costs it eight bytes a job instead of the job.
     */
    java.util.Map<String, long[]> pendingIds();

    /**
     * Rows other systems inserted (picked_up = false): marks up to {@code limit} of them picked up and returns
     * them, in one fenced transaction.
     */
    List<StoredJob> claimExternal(int limit, long epoch);

    Optional<StoredJob> get(long id);

    /** The job that split into (or is gathered for) job {@code id}; empty for a job without a parent or no such job. */
    Optional<Long> parentOf(long id);

    /** The stored jobs among {@code ids} (unknown ids are left out), in no particular order; a query per 500 ids. */
    List<StoredJob> get(java.util.Collection<Long> ids);

    /** The job holding an idempotency key in a queue, if any. */
    Optional<StoredJob> byIdempotencyKey(String queue, String key);

    /** Newest first; {@code query} fields that are null match anything. */
    List<StoredJob> list(JobQuery query);

    /** The central log of one job: submissions, assignments, refusals, attempts and their errors, oldest first. */
    List<JobEvent> events(long jobId);

    /** The newest {@code limit} lines of the central log over all jobs, newest first. */
    List<JobEvent> recentEvents(int limit);

    /**
     * The newest events of the given kinds, newest first, found among the newest {@code scan} events of any kind: a
     * bounded read (by primary key) however large the table, for a dashboard that shows failures, not every start.
     */
    List<JobEvent> recentEvents(int limit, java.util.Set<String> kinds, int scan);

    /**
     * Deletes finished jobs (SUCCEEDED, DEAD, CANCELLED) among {@code ids} with their events and logs, in one fenced
     * transaction per 500 ids; returns the ids deleted. A job that is not final (it was retried meanwhile), one whose
     * parent is still waiting for it, or an unknown id is left alone. A deleted parent's children are not deleted
     * with it: pass their ids too. For operators' bulk deletes and for retention by age (issue 17).
     */
    List<Long> deleteFinished(java.util.Collection<Long> ids, long epoch);

    /**
     * Up to {@code limit} jobs in the final {@code state} with ids above {@code afterId}, in id order (the state
     * index): retention walks each final state from its oldest job and stops at the first one too young to expire.
     */
    List<FinishedJob> finished(io.earthling.api.JobState state, long afterId, int limit);

    /**
     * The jobs whose parent is one of {@code parentIds} (split children, pipeline stages): child id to parent id, in
     * child id order.
     */
    java.util.Map<Long, Long> children(java.util.Collection<Long> parentIds);

    /** The highest job id stored, 0 if none: a missing id below it was deleted (retention, an operator). */
    long maxId();

    /** Counts by state, for status lines. */
    java.util.Map<io.earthling.api.JobState, Long> countByState();
}

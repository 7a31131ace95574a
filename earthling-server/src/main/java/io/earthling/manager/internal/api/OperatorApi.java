package io.earthling.manager.internal.api;

import io.earthling.api.JobState;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.intake.Deletes;
import io.earthling.manager.internal.intake.Retries;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.protocol.jobs.DeleteJobsRequest;
import io.earthling.protocol.jobs.DeleteJobsResponse;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.RetryRequest;
import io.earthling.protocol.jobs.RetryResponse;
import io.earthling.protocol.jobs.RunNowRequest;
import io.earthling.store.JobStore;
import io.earthling.store.StateChange;
import io.earthling.store.StoredJob;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An operator's actions on stored jobs, leader only: retry DEAD jobs, run a delayed job now, delete finished jobs.
 * Each checks the jobs first and changes nothing when one does not qualify; the change goes through the writer.
 */
public final class OperatorApi {
    private final Supplier<Leadership> leading;
    private final JobStore store;
    private final Clock clock;

    OperatorApi(Supplier<Leadership> leading, JobStore store, Clock clock) {
        this.leading = leading;
        this.store = store;
        this.clock = clock;
    }

    public CompletableFuture<RetryResponse> retry(RetryRequest r) {
        Leadership l = leading.get();
        if (r.getIdsCount() > 0 == !r.getQueue().isEmpty()) {
            throw Refusal.invalid("retry: give job ids or a queue (with an optional type), not "
                    + (r.getIdsCount() > 0 ? "both" : "neither"));
        }
        List<StoredJob> dead = new ArrayList<>();
        for (long id : r.getIdsList()) {
            StoredJob j = JobsApi.find(store, id, "; nothing retried");
            if (j.state() != JobState.DEAD) {
                throw Refusal.conflict("job " + id + " is " + j.state() + "; only DEAD jobs can be retried; nothing retried");
            }
            dead.add(j);
        }
        if (!r.getQueue().isEmpty()) {
            dead.addAll(Retries.deadIn(store, r.getQueue(), r.getType().isEmpty() ? null : r.getType()));
        }
        return Retries.apply(l, dead, clock.millis()).handle((ids, err) -> {
            if (err != null) {
                throw Refusal.unavailable("not retried: " + Refusal.unwrap(err).getMessage());
            }
            return RetryResponse.newBuilder().addAllIds(ids).build();
        });
    }

    /**
     * Runs a delayed job now: a PENDING job due later (a run-at, a retry's backoff) becomes due at once and waits its
     * turn like any due job (its queue's pause, limits and concurrency key still hold). Any other job is refused.
     */
    public CompletableFuture<JobInfo> runNow(RunNowRequest r) {
        Leadership l = leading.get();
        long id = r.getId();
        StoredJob j = JobsApi.find(store, id, "");
        long now = clock.millis();
        if (j.state() != JobState.PENDING) {
            throw Refusal.conflict("job " + id + " is " + j.state() + "; only a delayed PENDING job can be run now");
        }
        if (j.runAtMs() <= now) {
            throw Refusal.conflict("job " + id + " is not delayed: it has been due since "
                    + java.time.Instant.ofEpochMilli(j.runAtMs()) + " and waits its turn; `earthling status " + id
                    + "` says why");
        }
        StateChange change = StateChange.of(id, java.util.EnumSet.of(JobState.PENDING), JobState.PENDING).runAt(now)
                .event("RUN_NOW", "by request; it was due at " + java.time.Instant.ofEpochMilli(j.runAtMs())).build();
        return l.writer().apply(List.of(change)).handle((applied, err) -> {
            if (err != null) {
                throw Refusal.unavailable("not run now: " + Refusal.unwrap(err).getMessage());
            }
            if (!applied[0]) {
                throw Refusal.conflict("job " + id + " left PENDING meanwhile (it started or was cancelled); nothing"
                        + " changed");
            }
            l.dispatcher().runNow(id, now);
            return id;
        }).thenApplyAsync(done -> Convert.info(store.get(id).orElseThrow(), false), Waiters.callbacks());
    }

    /**
     * Deletes finished jobs with their events and logs: the listed ones (nothing is deleted unless every one is final),
     * or every DEAD job of a queue (of one type). Answers the ids deleted: a child its split parent still waits for is
     * kept.
     */
    public CompletableFuture<DeleteJobsResponse> delete(DeleteJobsRequest r) {
        Leadership l = leading.get();
        if (r.getIdsCount() > 0 == !r.getQueue().isEmpty()) {
            throw Refusal.invalid("delete: give job ids or a queue (with an optional type), not "
                    + (r.getIdsCount() > 0 ? "both" : "neither"));
        }
        List<Long> ids = new ArrayList<>();
        for (long id : r.getIdsList()) {
            StoredJob j = JobsApi.find(store, id, "; nothing deleted");
            if (!j.state().isFinal()) {
                throw Refusal.conflict("job " + id + " is " + j.state() + "; only finished jobs (SUCCEEDED, DEAD,"
                        + " CANCELLED) can be deleted; nothing deleted");
            }
            ids.add(id);
        }
        if (!r.getQueue().isEmpty()) {
            Retries.deadIn(store, r.getQueue(), r.getType().isEmpty() ? null : r.getType()).forEach(j -> ids.add(j.id()));
        }
        return Deletes.apply(l.writer(), ids).handle((deleted, err) -> {
            if (err != null) {
                throw Refusal.unavailable("not deleted: " + Refusal.unwrap(err).getMessage());
            }
            return DeleteJobsResponse.newBuilder().addAllIds(deleted).build();
        });
    }
}

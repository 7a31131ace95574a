package io.earthling.manager.internal.api;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.core.ReadyJob;
import io.earthling.core.WaitFacts;
import io.earthling.grpc.MessageSizes;
import io.earthling.manager.internal.api.NotLeader;
import io.earthling.manager.internal.dispatch.JobMetrics;
import io.earthling.manager.internal.dispatch.NoWorkerYetException;
import io.earthling.manager.internal.dispatch.Node;
import io.earthling.manager.internal.dispatch.NodeCommands;
import io.earthling.manager.internal.dispatch.ReadyJobs;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.intake.Idempotency;
import io.earthling.manager.internal.intake.Intake;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.manager.internal.schedule.ScheduleTicker;
import io.earthling.manager.internal.write.WriterFullException;
import io.earthling.protocol.jobs.CancelJobRequest;
import io.earthling.protocol.jobs.EventsResponse;
import io.earthling.protocol.jobs.GetRequest;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.ListRequest;
import io.earthling.protocol.jobs.ListResponse;
import io.earthling.protocol.jobs.SubmitBatchRequest;
import io.earthling.protocol.jobs.SubmitBatchResponse;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.protocol.jobs.SubmitResponse;
import io.earthling.protocol.jobs.WaitRequest;
import io.earthling.protocol.jobs.WaitResponse;
import io.earthling.store.Inserted;
import io.earthling.store.JobQuery;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.QueueStates;
import io.earthling.store.StoredJob;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a client may ask of the manager, independent of transport: plain Java, every answer a future, every refusal a
 * {@link Refusal}. The gRPC {@code Jobs} service and the HTTP routes are thin mappers of it; requests and answers are
 * the protocol's message types (plain data, shared by both transports), never gRPC streams or statuses.
 */
public final class JobsApi {
    private static final int DEFAULT_LIST = 50;
    private static final int MAX_LIST = 1000;
    private static final long DEFAULT_WAIT_MS = 60_000;
    private volatile int maxWaitIds = io.earthling.manager.InputLimits.DEFAULT.maxWaitIds();
    private volatile long maxWaitMs = io.earthling.manager.InputLimits.DEFAULT.maxWaitMs();

    private final Supplier<Leadership> leader;
    private volatile JobMetrics metrics = JobMetrics.NONE;
    private final JobStore store;
    private final Intake intake;
    private final int maxBatch;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ClusterApi cluster;
    private final SchedulesApi schedulesApi;
    private final PurgeApi purges;
    private final OperatorApi operator;
    private volatile NotLeader notLeader = new NotLeader("this manager");

    public JobsApi(Supplier<Leadership> leader, JobStore store, QueueStates queueStates, Intake intake, int maxBatch,
                   long heartbeatMs, Clock clock, ScheduledExecutorService timer, Supplier<ScheduleTicker> schedules) {
        this.leader = leader;
        this.store = store;
        this.intake = intake;
        this.maxBatch = maxBatch;
        this.clock = clock;
        this.timer = timer;
        this.cluster = new ClusterApi(this::leading, queueStates, heartbeatMs);
        this.schedulesApi = new SchedulesApi(this::leading, () -> {
            ScheduleTicker t = schedules.get();
            if (t == null) {
                throw notLeader.refusal();
            }
            return t;
        }, intake);
        this.purges = new PurgeApi(this::leading, store, clock);
        this.operator = new OperatorApi(this::leading, store, clock);
    }

    /** Where refused submissions are counted from now on. */
    public JobsApi observe(JobMetrics m) {
        this.metrics = m;
        return this;
    }

    /** Leader-only calls to this manager while it does not lead are refused as {@code notLeader} says. */
    public JobsApi refuseWith(NotLeader notLeader) {
        this.notLeader = notLeader;
        return this;
    }

    /** At most {@code maxIds} ids per {@code Wait}, which waits at most {@code maxMs} (issue 16, item 8). */
    public JobsApi limitWaits(int maxIds, long maxMs) {
        this.maxWaitIds = maxIds;
        this.maxWaitMs = maxMs;
        return this;
    }

    /** Nodes and queues: list, drain, pause. */
    public ClusterApi cluster() {
        return cluster;
    }

    /** Deleting finished jobs by age, as retention does. */
    public PurgeApi purges() {
        return purges;
    }

    /** An operator's actions on stored jobs: retry, run now, delete. */
    public OperatorApi operator() {
        return operator;
    }

    /** Recurring jobs: create, list, delete. */
    public SchedulesApi schedules() {
        return schedulesApi;
    }

    public CompletableFuture<SubmitResponse> submit(SubmitRequest r) {
        return insert(List.of(r), done -> SubmitResponse.newBuilder().setId(done.get(0).id())
                .setExisted(!done.get(0).created()).build());
    }

    public CompletableFuture<SubmitBatchResponse> submitBatch(SubmitBatchRequest r) {
        if (r.getJobsCount() > maxBatch) {
            throw Refusal.invalid("batch of " + r.getJobsCount() + " jobs is over the limit of " + maxBatch
                    + " (limits.maxBatch)");
        }
        return insert(r.getJobsList(), done -> {
            SubmitBatchResponse.Builder b = SubmitBatchResponse.newBuilder();
            done.forEach(d -> b.addIds(d.id()));
            if (!done.stream().allMatch(Inserted::created)) {
                done.forEach(d -> b.addExisted(!d.created()));
            }
            return b.build();
        });
    }

    private <T> CompletableFuture<T> insert(List<SubmitRequest> reqs, Function<List<Inserted>, T> reply) {
        Leadership l = leading();
        List<NewJob> jobs = new ArrayList<>(reqs.size());
        long now = clock.millis();
        for (int i = 0; i < reqs.size(); i++) {
            try {
                jobs.add(intake.validate(reqs.get(i), l.dispatcher()::checkType, now));
            } catch (NoWorkerYetException e) {
                throw Refusal.unavailable(e.getMessage(), NoWorkerYetException.RETRY_AFTER_MS);
            } catch (Refusal e) {
                throw e;
            } catch (EarthlingException e) {
                throw Refusal.invalid(reqs.size() == 1 ? e.getMessage() : "job " + i + ": " + e.getMessage());
            }
        }
        try {
            Idempotency.precheck(store, jobs);
        } catch (EarthlingException e) {
            throw Refusal.exists(e.getMessage());
        }
        return l.writer().insert(jobs).handle((inserted, err) -> {
            if (err instanceof WriterFullException full) {
                metrics.refusedBusy();
                throw Refusal.busy(full.getMessage(), full.retryAfterMs());
            }
            if (err != null) {
                throw Refusal.unavailable("not stored: " + Refusal.unwrap(err).getMessage());
            }
            List<ReadyJob> ready = new ArrayList<>(inserted.size());
            for (int i = 0; i < inserted.size(); i++) {
                // A job that was there already under its idempotency key is queued already.
                if (inserted.get(i).created()) {
                    ready.add(ReadyJobs.of(inserted.get(i).id(), jobs.get(i)));
                }
            }
            l.dispatcher().offer(ready);
            return inserted;
        }).thenApplyAsync(inserted -> {
            // Off the writer thread: reading the jobs that held the keys would stall it.
            if (inserted.stream().anyMatch(i -> !i.created())) {
                try {
                    Idempotency.confirm(store, jobs, inserted);
                } catch (EarthlingException e) {
                    throw Refusal.exists(e.getMessage());
                }
            }
            return reply.apply(inserted);
        }, Waiters.callbacks());
    }

    public CompletableFuture<JobInfo> get(GetRequest r) {
        StoredJob j = job(r.getId(), "");
        return explain(List.of(j)).thenApply(facts -> Convert.info(j, true, facts));
    }

    /**
     * What explains why {@code jobs} wait: the leader's dispatcher's view, or only the clock on a standby or when
     * every job ended. Completed off the dispatcher thread, so building the answer never slows it.
     */
    private CompletableFuture<WaitFacts> explain(List<StoredJob> jobs) {
        Leadership l = leader.get();
        if (l == null || jobs.stream().allMatch(j -> j.state().isFinal())) {
            return CompletableFuture.completedFuture(WaitFacts.rowsOnly(clock.millis()));
        }
        CompletableFuture<WaitFacts> facts = new CompletableFuture<>();
        l.dispatcher().waitFacts(facts::complete);
        return facts.completeOnTimeout(WaitFacts.rowsOnly(clock.millis()), 2, TimeUnit.SECONDS)
                .thenApplyAsync(f -> f, Waiters.callbacks());
    }

    /** The pipeline run {@code id} is a step below (its topmost ancestor, a {@code pipeline} job), or 0. */
    private long pipelineRun(long id) {
        long top = id;
        for (Optional<Long> up = store.parentOf(id); up.isPresent(); up = store.parentOf(top)) {
            top = up.get();
        }
        if (top == id) {
            return 0;
        }
        return store.get(top).filter(t -> t.type().equals("pipeline")).map(StoredJob::id).orElse(0L);
    }

    public CompletableFuture<EventsResponse> events(GetRequest r) {
        job(r.getId(), "");
        EventsResponse.Builder b = EventsResponse.newBuilder();
        store.events(r.getId()).forEach(e -> b.addEvents(Convert.event(e)));
        return CompletableFuture.completedFuture(b.build());
    }

    public CompletableFuture<ListResponse> list(ListRequest r) {
        JobState state;
        try {
            state = r.getState().isEmpty() ? null : JobState.valueOf(r.getState().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("state: unknown \"" + r.getState() + "\" (one of " + List.of(JobState.values()) + ")");
        }
        int limit = r.getLimit() <= 0 ? DEFAULT_LIST : Math.min(r.getLimit(), MAX_LIST);
        if (r.getSearch().length() > JobQuery.MAX_SEARCH) {
            throw Refusal.invalid("search: at most " + JobQuery.MAX_SEARCH + " characters, got " + r.getSearch().length());
        }
        List<StoredJob> jobs = store.list(new JobQuery(state, r.getQueue().isEmpty() ? null : r.getQueue(),
                r.getType().isEmpty() ? null : r.getType(), r.getBeforeId(), limit, r.getInternal(), r.getSearch()));
        return explain(jobs).thenApply(facts -> {
            ListResponse.Builder b = ListResponse.newBuilder();
            long bytes = 0;
            for (StoredJob j : jobs) {
                JobInfo info = Convert.info(j, false, facts);
                bytes += info.getSerializedSize();
                if (b.getJobsCount() > 0 && bytes > MessageSizes.ANSWER_BYTES) {
                    break; // the page ends early: the next one starts before the last id shown
                }
                b.addJobs(info);
            }
            return b.build();
        });
    }

    public CompletableFuture<JobInfo> cancel(CancelJobRequest r) {
        Leadership l = leading();
        StoredJob j = job(r.getId(), "");
        if (j.state().isFinal()) {
            throw Refusal.conflict("job " + r.getId() + " is already " + j.state());
        }
        long run = pipelineRun(r.getId());
        if (run > 0) {
            throw Refusal.conflict("job " + r.getId() + " is a step of pipeline run " + run + " and is not cancelled on"
                    + " its own (that would fail the run); cancel the run: earthling pipeline cancel " + run);
        }
        CompletableFuture<JobInfo> answer = new CompletableFuture<>();
        l.dispatcher().cancel(r.getId(), nodeId -> {
            Node n = l.dispatcher().node(nodeId);
            if (n != null) {
                NodeCommands.cancel(n, l.epoch(), r.getId());
            }
            answer.complete(Convert.info(store.get(r.getId()).orElseThrow(), false));
        }, err -> answer.completeExceptionally(Refusal.unavailable("not cancelled: " + err.getMessage())));
        return answer;
    }

    public CompletableFuture<WaitResponse> await(WaitRequest r) {
        if (r.getIdsCount() > maxWaitIds) {
            throw Refusal.invalid("ids: " + r.getIdsCount() + " jobs, over the limit of " + maxWaitIds
                    + " per wait (limits.maxWaitIds)");
        }
        Leadership l = leading();
        Map<Long, CompletableFuture<Void>> byId = new HashMap<>();
        for (long id : r.getIdsList()) {
            byId.put(id, l.waiters().waitFor(id));
        }
        // Registered first, then read: a job that ends in between is seen either way. Unknown ids do not wait.
        Set<Long> open = new HashSet<>(byId.keySet());
        for (StoredJob j : store.get(byId.keySet())) {
            if (!j.state().isFinal()) {
                open.remove(j.id());
            }
        }
        for (long id : open) {
            l.waiters().forget(id, byId.get(id));
            byId.get(id).complete(null);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(byId.values().toArray(CompletableFuture[]::new));
        long timeout = Math.min(maxWaitMs, r.getTimeoutMs() <= 0 ? DEFAULT_WAIT_MS : r.getTimeoutMs());
        timer.schedule(() -> all.complete(null), timeout, TimeUnit.MILLISECONDS);
        return all.thenApplyAsync(v -> {
            Map<Long, StoredJob> now = new HashMap<>();
            store.get(byId.keySet()).forEach(j -> now.put(j.id(), j));
            WaitResponse.Builder b = WaitResponse.newBuilder();
            long bytes = 0;
            for (long id : r.getIdsList()) {
                StoredJob j = now.get(id);
                JobInfo info = j != null && j.state().isFinal() ? Convert.info(j, r.getIncludePayload()) : null;
                bytes += info == null ? 0 : info.getSerializedSize();
                if (info != null && (b.getJobsCount() == 0 || bytes <= MessageSizes.ANSWER_BYTES)) {
                    b.addJobs(info);
                } else {
                    b.addPending(id); // not final, or the answer is full: the client asks again for these
                }
            }
            return b.build();
        }, Waiters.callbacks());
    }

    /** The stored job {@code id}, or a NOT_FOUND refusal that says whether it was deleted, then {@code consequence}. */
    static StoredJob find(JobStore store, long id, String consequence) {
        return store.get(id).orElseThrow(() -> Refusal.notFound(missing(store, id) + consequence));
    }

    private StoredJob job(long id, String consequence) {
        Optional<StoredJob> j = store.get(id);
        return j.orElseThrow(() -> Refusal.notFound(missing(store, id) + consequence));
    }

    /**
     * Why job {@code id} is not there: never stored, or deleted (by retention or an operator), which an id at or below
     * the highest stored one tells.
     */
    static String missing(JobStore store, long id) {
        if (id > 0 && id <= store.maxId()) {
            return "job " + id + " no longer exists: finished jobs are deleted after their retention (retention.succeeded,"
                    + " .cancelled, .dead; docs/operations.md) or by earthling delete or purge";
        }
        return "no job with id " + id;
    }

    /** The leadership, or a refusal naming the leader to ask when this manager is a standby. */
    private Leadership leading() {
        Leadership l = leader.get();
        if (l == null) {
            throw notLeader.refusal();
        }
        return l;
    }
}

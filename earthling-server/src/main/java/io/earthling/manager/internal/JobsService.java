package io.earthling.manager.internal;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.core.QueueSnapshot;
import io.earthling.core.ReadyJob;
import io.earthling.core.WaitFacts;
import io.earthling.protocol.CancelRequest;
import io.earthling.protocol.jobs.CancelJobRequest;
import io.earthling.protocol.jobs.GetRequest;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.ListRequest;
import io.earthling.protocol.jobs.ListResponse;
import io.earthling.protocol.jobs.NodeInfo;
import io.earthling.protocol.jobs.NodesRequest;
import io.earthling.protocol.jobs.NodesResponse;
import io.earthling.protocol.jobs.PauseQueueRequest;
import io.earthling.protocol.jobs.QueueInfo;
import io.earthling.protocol.jobs.QueuesRequest;
import io.earthling.protocol.jobs.QueuesResponse;
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
import io.earthling.store.StoredSchedule;
import io.earthling.protocol.jobs.DeleteScheduleRequest;
import io.earthling.protocol.jobs.EventsResponse;
import io.earthling.protocol.jobs.ListSchedulesRequest;
import io.earthling.protocol.jobs.ListSchedulesResponse;
import io.earthling.protocol.jobs.RetryRequest;
import io.earthling.protocol.jobs.RetryResponse;
import io.earthling.protocol.jobs.ScheduleInfo;
import io.earthling.api.internal.RetryHints;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The client-facing API. Status codes are chosen here, at the edge, and nowhere else. */
public final class JobsService extends JobsGrpc.JobsImplBase {
    private final Supplier<Leadership> leader;
    private volatile JobMetrics metrics = JobMetrics.NONE;
    private final JobStore store;
    private final QueueStates queueStates;
    private final Intake intake;
    private final int maxBatch;
    private final long heartbeatMs;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Supplier<ScheduleTicker> schedules;
    private volatile NotLeader notLeader = new NotLeader("this manager");

    public JobsService(Supplier<Leadership> leader, JobStore store, QueueStates queueStates, Intake intake,
                       int maxBatch, long heartbeatMs, Clock clock, ScheduledExecutorService timer,
                       Supplier<ScheduleTicker> schedules) {
        this.queueStates = queueStates;
        this.schedules = schedules;
        this.heartbeatMs = heartbeatMs;
        this.leader = leader;
        this.store = store;
        this.intake = intake;
        this.maxBatch = maxBatch;
        this.clock = clock;
        this.timer = timer;
    }

    /** Where refused submissions are counted from now on. */
    public JobsService observe(JobMetrics m) {
        this.metrics = m;
        return this;
    }

    /** Leader-only calls to this manager while it does not lead are refused as {@code notLeader} says. */
    public JobsService refuseWith(NotLeader notLeader) {
        this.notLeader = notLeader;
        return this;
    }

    @Override
    public void submit(SubmitRequest r, StreamObserver<SubmitResponse> out) {
        insert(List.of(r), out, done -> SubmitResponse.newBuilder().setId(done.get(0).id()).setExisted(!done.get(0).created()).build());
    }

    @Override
    public void submitBatch(SubmitBatchRequest r, StreamObserver<SubmitBatchResponse> out) {
        if (r.getJobsCount() > maxBatch) {
            out.onError(invalid("batch of " + r.getJobsCount() + " jobs is over the limit of " + maxBatch + " (limits.maxBatch)"));
            return;
        }
        insert(r.getJobsList(), out, done -> {
            SubmitBatchResponse.Builder b = SubmitBatchResponse.newBuilder();
            done.forEach(d -> b.addIds(d.id()));
            if (!done.stream().allMatch(Inserted::created)) {
                done.forEach(d -> b.addExisted(!d.created()));
            }
            return b.build();
        });
    }

    private <T> void insert(List<SubmitRequest> reqs, StreamObserver<T> out, java.util.function.Function<List<Inserted>, T> reply) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        List<NewJob> jobs = new ArrayList<>(reqs.size());
        long now = clock.millis();
        for (int i = 0; i < reqs.size(); i++) {
            try {
                jobs.add(intake.validate(reqs.get(i), l.dispatcher()::checkType, now));
            } catch (NoWorkerYetException e) {
                out.onError(e.status());
                return;
            } catch (EarthlingException e) {
                out.onError(invalid(reqs.size() == 1 ? e.getMessage() : "job " + i + ": " + e.getMessage()));
                return;
            }
        }
        try {
            Idempotency.precheck(store, jobs);
        } catch (EarthlingException e) {
            out.onError(Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        l.writer().insert(jobs).whenComplete((inserted, err) -> {
            if (err instanceof WriterFullException full) {
                metrics.refusedBusy();
                out.onError(RetryHints.retryAfter(Status.RESOURCE_EXHAUSTED.withDescription(full.getMessage()),
                        full.retryAfterMs()));
                return;
            }
            if (err != null) {
                out.onError(Status.UNAVAILABLE.withDescription("not stored: " + err.getMessage()).asRuntimeException());
                return;
            }
            List<ReadyJob> ready = new ArrayList<>(inserted.size());
            for (int i = 0; i < inserted.size(); i++) {
                NewJob j = jobs.get(i);
                // A job that was there already under its idempotency key is queued already.
                if (inserted.get(i).created()) {
                    ready.add(Convert.ready(inserted.get(i).id(), j));
                }
            }
            l.dispatcher().offer(ready);
            if (ready.size() == inserted.size()) {
                out.onNext(reply.apply(inserted));
                out.onCompleted();
                return;
            }
            // Reading the jobs that held the keys would stall the writer thread this runs on.
            CompletableFuture.runAsync(() -> {
                try {
                    Idempotency.confirm(store, jobs, inserted);
                } catch (EarthlingException e) {
                    out.onError(Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException());
                    return;
                }
                out.onNext(reply.apply(inserted));
                out.onCompleted();
            });
        });
    }

    @Override
    public void events(GetRequest r, StreamObserver<EventsResponse> out) {
        if (store.get(r.getId()).isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no job with id " + r.getId()).asRuntimeException());
            return;
        }
        EventsResponse.Builder b = EventsResponse.newBuilder();
        store.events(r.getId()).forEach(e -> b.addEvents(Convert.event(e)));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void retry(RetryRequest r, StreamObserver<RetryResponse> out) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        if (r.getIdsCount() > 0 == !r.getQueue().isEmpty()) {
            out.onError(invalid("retry: give job ids or a queue (with an optional type), not " + (r.getIdsCount() > 0 ? "both" : "neither")));
            return;
        }
        List<StoredJob> dead = new ArrayList<>();
        for (long id : r.getIdsList()) {
            Optional<StoredJob> j = store.get(id);
            if (j.isEmpty()) {
                out.onError(Status.NOT_FOUND.withDescription("no job with id " + id + "; nothing retried").asRuntimeException());
                return;
            }
            if (j.get().state() != JobState.DEAD) {
                out.onError(Status.FAILED_PRECONDITION.withDescription("job " + id + " is " + j.get().state()
                        + "; only DEAD jobs can be retried; nothing retried").asRuntimeException());
                return;
            }
            dead.add(j.get());
        }
        if (!r.getQueue().isEmpty()) {
            dead.addAll(Retries.deadIn(store, r.getQueue(), r.getType().isEmpty() ? null : r.getType()));
        }
        Retries.apply(l, dead, clock.millis()).whenComplete((ids, err) -> {
            if (err != null) {
                out.onError(Status.UNAVAILABLE.withDescription("not retried: " + err.getMessage()).asRuntimeException());
                return;
            }
            out.onNext(RetryResponse.newBuilder().addAllIds(ids).build());
            out.onCompleted();
        });
    }

    @Override
    public void createSchedule(ScheduleInfo r, StreamObserver<ScheduleInfo> out) {
        ScheduleTicker t = schedules.get();
        Leadership l = leader.get();
        if (t == null || l == null) {
            out.onError(notLeader());
            return;
        }
        StoredSchedule s;
        try {
            s = Schedules.validate(r, l.dispatcher()::checkType, intake);
        } catch (NoWorkerYetException e) {
            out.onError(e.status());
            return;
        } catch (EarthlingException e) {
            out.onError(invalid(e.getMessage()));
            return;
        }
        if (!t.create(s)) {
            out.onError(Status.ALREADY_EXISTS.withDescription("schedule \"" + s.name() + "\" exists already")
                    .asRuntimeException());
            return;
        }
        out.onNext(Schedules.info(t.get(s.name()).orElseThrow()));
        out.onCompleted();
    }

    @Override
    public void listSchedules(ListSchedulesRequest r, StreamObserver<ListSchedulesResponse> out) {
        ScheduleTicker t = schedules.get();
        if (t == null) {
            out.onError(notLeader());
            return;
        }
        ListSchedulesResponse.Builder b = ListSchedulesResponse.newBuilder();
        t.all().forEach(s -> b.addSchedules(Schedules.info(s)));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void deleteSchedule(DeleteScheduleRequest r, StreamObserver<ScheduleInfo> out) {
        ScheduleTicker t = schedules.get();
        if (t == null || leader.get() == null) {
            out.onError(notLeader());
            return;
        }
        Optional<StoredSchedule> s = t.get(r.getName());
        if (s.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no schedule named \"" + r.getName() + "\"").asRuntimeException());
            return;
        }
        if (s.get().origin().equals("config")) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("schedule \"" + r.getName()
                    + "\" comes from the config file (schedules." + r.getName() + "); remove it there").asRuntimeException());
            return;
        }
        t.delete(r.getName());
        out.onNext(Schedules.info(s.get()));
        out.onCompleted();
    }

    @Override
    public void get(GetRequest r, StreamObserver<JobInfo> out) {
        Optional<StoredJob> j = store.get(r.getId());
        if (j.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no job with id " + r.getId()).asRuntimeException());
            return;
        }
        explain(List.of(j.get()), facts -> {
            out.onNext(Convert.info(j.get(), true, facts));
            out.onCompleted();
        });
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

    /**
     * Hands {@code then} what explains why {@code jobs} wait: the leader's dispatcher's view, or only the clock on a
     * standby or when every job ended. Off the dispatcher thread, so building the answer never slows it.
     */
    private void explain(List<StoredJob> jobs, java.util.function.Consumer<WaitFacts> then) {
        Leadership l = leader.get();
        if (l == null || jobs.stream().allMatch(j -> j.state().isFinal())) {
            then.accept(WaitFacts.rowsOnly(clock.millis()));
            return;
        }
        CompletableFuture<WaitFacts> facts = new CompletableFuture<>();
        l.dispatcher().waitFacts(facts::complete);
        facts.completeOnTimeout(WaitFacts.rowsOnly(clock.millis()), 2, TimeUnit.SECONDS).thenAcceptAsync(then);
    }

    @Override
    public void list(ListRequest r, StreamObserver<ListResponse> out) {
        JobState state;
        try {
            state = r.getState().isEmpty() ? null : JobState.valueOf(r.getState().toUpperCase());
        } catch (IllegalArgumentException e) {
            out.onError(invalid("state: unknown \"" + r.getState() + "\" (one of " + List.of(JobState.values()) + ")"));
            return;
        }
        int limit = r.getLimit() <= 0 ? 50 : Math.min(r.getLimit(), 1000);
        List<StoredJob> jobs = store.list(new JobQuery(state, r.getQueue().isEmpty() ? null : r.getQueue(),
                r.getType().isEmpty() ? null : r.getType(),
                r.getBeforeId(), limit, r.getInternal()));
        explain(jobs, facts -> {
            ListResponse.Builder b = ListResponse.newBuilder();
            jobs.forEach(j -> b.addJobs(Convert.info(j, false, facts)));
            out.onNext(b.build());
            out.onCompleted();
        });
    }

    @Override
    public void cancel(CancelJobRequest r, StreamObserver<JobInfo> out) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        Optional<StoredJob> j = store.get(r.getId());
        if (j.isEmpty()) {
            out.onError(Status.NOT_FOUND.withDescription("no job with id " + r.getId()).asRuntimeException());
            return;
        }
        if (j.get().state().isFinal()) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("job " + r.getId() + " is already "
                    + j.get().state()).asRuntimeException());
            return;
        }
        long run = pipelineRun(r.getId());
        if (run > 0) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("job " + r.getId() + " is a step of pipeline run "
                    + run + " and is not cancelled on its own (that would fail the run); cancel the run: earthling"
                    + " pipeline cancel " + run).asRuntimeException());
            return;
        }
        l.dispatcher().cancel(r.getId(), nodeId -> {
            Node n = l.dispatcher().node(nodeId);
            if (n != null) {
                n.stub.withDeadlineAfter(5, TimeUnit.SECONDS).cancel(CancelRequest.newBuilder()
                        .setEpoch(l.epoch()).setJobId(r.getId()).build(), new io.grpc.stub.StreamObserver<>() {
                    public void onNext(io.earthling.protocol.CancelResponse v) { }
                    public void onError(Throwable t) { }
                    public void onCompleted() { }
                });
            }
            out.onNext(Convert.info(store.get(r.getId()).orElseThrow(), false));
            out.onCompleted();
        }, err -> out.onError(Status.UNAVAILABLE.withDescription(err.getMessage()).asRuntimeException()));
    }

    @Override
    public void wait(WaitRequest r, StreamObserver<WaitResponse> out) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        java.util.Map<Long, CompletableFuture<Void>> byId = new java.util.HashMap<>();
        for (long id : r.getIdsList()) {
            CompletableFuture<Void> f = l.waiters().waitFor(id);
            futures.add(f);
            byId.put(id, f);
        }
        // Registered first, then read: a job that ends in between is seen either way. Unknown ids do not wait.
        java.util.Set<Long> open = new java.util.HashSet<>(byId.keySet());
        for (StoredJob j : store.get(byId.keySet())) {
            if (!j.state().isFinal()) {
                open.remove(j.id());
            }
        }
        for (long id : open) {
            l.waiters().forget(id, byId.get(id));
            byId.get(id).complete(null);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        long timeout = r.getTimeoutMs() <= 0 ? 60_000 : r.getTimeoutMs();
        timer.schedule(() -> all.complete(null), timeout, TimeUnit.MILLISECONDS);
        all.whenComplete((v, e) -> {
            java.util.Map<Long, StoredJob> now = new java.util.HashMap<>();
            store.get(byId.keySet()).forEach(j -> now.put(j.id(), j));
            WaitResponse.Builder b = WaitResponse.newBuilder();
            for (long id : r.getIdsList()) {
                StoredJob j = now.get(id);
                if (j != null && j.state().isFinal()) {
                    b.addJobs(Convert.info(j, r.getIncludePayload()));
                } else {
                    b.addPending(id);
                }
            }
            out.onNext(b.build());
            out.onCompleted();
        });
    }

    @Override
    public void nodes(NodesRequest r, StreamObserver<NodesResponse> out) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        NodesResponse.Builder b = NodesResponse.newBuilder().setEpoch(l.epoch()).setLeader(l.self());
        long now = l.dispatcher().monotonicMs(); // nodes' last heartbeats are monotonic times
        l.dispatcher().nodes().stream().sorted(java.util.Comparator.comparing(n -> n.id))
                .forEach(n -> b.addNodes(info(n, now)));
        out.onNext(b.build());
        out.onCompleted();
    }

    private NodeInfo info(Node n, long now) {
        return NodeInfo.newBuilder().setNodeId(n.id).setStatus(n.status(now, heartbeatMs))
                .setWorkerCount(n.workerCount).setIdleCount(n.idleEstimate()).setRunning(n.assigned)
                .addAllTypes(n.types).setLastSeenMsAgo(now - n.lastSeenMs).setDelivered(n.delivered)
                .setRefused(n.refused).setCpuLoad(n.state.getCpuLoad()).setLoadAverage(n.state.getLoadAverage())
                .setMemoryAvailableBytes(n.state.getMemoryAvailableBytes())
                .setDiskAvailableBytes(n.state.getDiskAvailableBytes()).setIoWait(n.state.getIoWait())
                .setBroken(n.broken).setRestarts(n.restarts).setReason(n.reason()).build();
    }

    @Override
    public void drain(io.earthling.protocol.jobs.DrainNodeRequest r, StreamObserver<NodeInfo> out) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        l.dispatcher().drain(r.getNodeId(), known -> {
            Node n = l.dispatcher().node(r.getNodeId());
            if (!known || n == null) {
                out.onError(Status.NOT_FOUND.withDescription("no node " + r.getNodeId() + " (see earthling nodes)")
                        .asRuntimeException());
                return;
            }
            io.grpc.Context.ROOT.run(() -> n.stub.withDeadlineAfter(5, TimeUnit.SECONDS).drain(
                    io.earthling.protocol.DrainRequest.newBuilder().setEpoch(l.epoch()).build(), new StreamObserver<>() {
                        public void onNext(io.earthling.protocol.DrainResponse v) { }
                        public void onError(Throwable t) { }
                        public void onCompleted() { }
                    }));
            out.onNext(info(n, l.dispatcher().monotonicMs()));
            out.onCompleted();
        });
    }

    @Override
    public void queues(QueuesRequest r, StreamObserver<QueuesResponse> out) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        l.dispatcher().queues(all -> {
            QueuesResponse.Builder b = QueuesResponse.newBuilder();
            all.forEach(q -> b.addQueues(Convert.queue(q)));
            out.onNext(b.build());
            out.onCompleted();
        });
    }

    @Override
    public void pauseQueue(PauseQueueRequest r, StreamObserver<QueueInfo> out) {
        Leadership l = leading(out);
        if (l == null) {
            return;
        }
        if (!Intake.NAME.matcher(r.getQueue()).matches()) {
            out.onError(invalid("queue: not a valid name: \"" + r.getQueue() + "\""));
            return;
        }
        CompletableFuture<List<QueueSnapshot>> known = new CompletableFuture<>();
        l.dispatcher().queues(known::complete);
        known.thenAcceptAsync(all -> {
            String refusal = PauseCheck.refusal(r.getQueue(), r.getPaused(), r.getCreate(),
                    all.stream().map(QueueSnapshot::name).toList());
            if (refusal != null) {
                out.onError(Status.NOT_FOUND.withDescription(refusal).asRuntimeException());
                return;
            }
            setPaused(l, r, out);
        });
    }

    private void setPaused(Leadership l, PauseQueueRequest r, StreamObserver<QueueInfo> out) {
        try {
            queueStates.setPaused(r.getQueue(), r.getPaused(), l.epoch());
        } catch (RuntimeException e) {
            out.onError(Status.UNAVAILABLE.withDescription("not stored: " + e.getMessage()).asRuntimeException());
            return;
        }
        l.dispatcher().pause(r.getQueue(), r.getPaused());
        l.dispatcher().queues(all -> {
            out.onNext(pausedReply(r, all));
            out.onCompleted();
        });
    }

    /** The paused queue as the dispatcher sees it, or what was stored if the dispatcher does not list it: always one. */
    static QueueInfo pausedReply(PauseQueueRequest r, List<QueueSnapshot> all) {
        return all.stream().filter(q -> q.name().equals(r.getQueue())).findFirst().map(Convert::queue)
                .orElseGet(() -> QueueInfo.newBuilder().setName(r.getQueue()).setPaused(r.getPaused()).build());
    }

    private static io.grpc.StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /** The leadership, or null after answering {@code out} that this manager is a standby. */
    private Leadership leading(StreamObserver<?> out) {
        Leadership l = leader.get();
        if (l == null) {
            out.onError(notLeader());
        }
        return l;
    }

    private io.grpc.StatusRuntimeException notLeader() {
        return notLeader.refusal();
    }
}

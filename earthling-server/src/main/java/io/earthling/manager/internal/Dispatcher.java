package io.earthling.manager.internal;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;

import io.earthling.api.JobState;
import io.earthling.core.QueueSnapshot;
import io.earthling.core.ReadyJob;
import io.earthling.core.ReadyQueues;
import io.earthling.manager.ManagerSettings;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.AcceptedOn;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.RunningJob;
import io.earthling.store.StateChange;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches ready jobs to free worker slots. One thread owns the ready queues, the node view and the jobs in
 * flight; other threads hand it work through {@link #execute}. It never blocks on I/O: writes go to the
 * {@link WriteBatcher}, deliveries are async gRPC calls whose answers come back through the inbox.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final Set<JobState> ACTIVE = EnumSet.of(ASSIGNED, RUNNING);
    /** Jobs no free node can take, looked past per dispatch round: bounded, as they are polled again each round. */
    private static final int MAX_SET_ASIDE = 64;

    private final WriteBatcher writer;
    private final Clock clock;
    private final long epoch;
    private final ManagerSettings timing;
    private final Waiters waiters;
    private final ReadyQueues ready = new ReadyQueues();
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final Map<String, List<ReadyJob>> parkedByType = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final long startedMs;
    private volatile java.util.function.BooleanSupplier leaseFresh = () -> true;
    private boolean leaseStale;
    private volatile Set<String> knownTypes = Set.of();
    private volatile boolean running = true;
    private volatile JobMetrics metrics = JobMetrics.NONE;
    private long nextHousekeepingMs;
    private volatile Runnable childrenStored = () -> { };

    public Dispatcher(WriteBatcher writer, Clock clock, long epoch, ManagerSettings timing, Waiters waiters) {
        this.writer = writer;
        this.clock = clock;
        this.epoch = epoch;
        this.timing = timing;
        this.waiters = waiters;
        this.startedMs = clock.millis();
        timing.queues().forEach(ready::configure);
        this.thread = new Thread(this::loop, "earthling-dispatcher");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** {@code fresh}: whether this leader's lease is surely still its own; it delivers nothing otherwise. */
    void lease(java.util.function.BooleanSupplier fresh) {
        this.leaseFresh = fresh;
    }

    /** Where submissions, outcomes and latencies are counted from now on. */
    public void observe(JobMetrics m) {
        this.metrics = m;
    }

    /** Runs {@code task} on the dispatcher thread. */
    public void execute(Runnable task) {
        inbox.add(task);
        LockSupport.unpark(thread);
    }

    public Set<String> knownTypes() {
        return knownTypes;
    }

    public Collection<Node> nodes() {
        return nodes.values();
    }

    public int readyCount() {
        return ready.size();
    }

    /** Stops (or resumes) starting jobs of {@code queue}; jobs already running go on. */
    public void pause(String queue, boolean paused) {
        execute(() -> {
            ready.pause(queue, paused);
            log.info("Queue {} {}", queue, paused ? "paused: its jobs wait until it is resumed" : "resumed");
        });
    }

    /** Every known queue as it is now, answered on the dispatcher thread. */
    public void queues(Consumer<List<QueueSnapshot>> answer) {
        execute(() -> {
            java.util.Set<String> names = new java.util.TreeSet<>(ready.names());
            names.addAll(timing.queues().keySet());
            answer.accept(names.stream().map(ready::snapshot).toList());
        });
    }

    // ---- loading (leader start) ----

    /** Jobs a new leader found in the DB: PENDING ones queue up, ASSIGNED/RUNNING wait for their node to report. */
    void load(List<ReadyJob> pending, List<InFlight> active) {
        execute(() -> {
            long now = clock.millis();
            pending.forEach(j -> ready.add(j, now));
            for (InFlight f : active) {
                f.deadlineMs = now + timing.reconcileGraceMs();
                track(f);
            }
            log.info("Leader with epoch {}: {} jobs ready, {} in flight awaiting their nodes ({} ms grace)",
                    epoch, pending.size(), active.size(), timing.reconcileGraceMs());
        });
    }

    /** Newly committed jobs (submitted or swept); runs on the dispatcher thread. */
    void offer(List<ReadyJob> jobs) {
        execute(() -> {
            long now = clock.millis();
            for (ReadyJob j : jobs) {
                if (j.attempts() == 0) {
                    metrics.submitted(j);
                }
                if (knownTypes.contains(j.type())) {
                    ready.add(j, now);
                } else {
                    parkOrBury(j);
                }
            }
        });
    }

    private void parkOrBury(ReadyJob j) {
        if (!nodes.isEmpty() && clock.millis() - startedMs > timing.reconcileGraceMs()) {
            String why = "unknown job type '" + j.type() + "': no connected worker can run it (known: "
                    + String.join(", ", knownTypes) + ")";
            writeFinal(StateChange.of(j.id(), EnumSet.of(PENDING), DEAD).error(why)
                    .finishedAt(clock.millis()).event("DEAD", why).build());
        } else {
            parkedByType.computeIfAbsent(j.type(), t -> new ArrayList<>()).add(j);
        }
    }

    // ---- nodes ----

    /** {@code healthy}: workers that can take a job, or -1 from an assistant too old to say. */
    void register(String id, String address, int port, int workers, int idle, int healthy, int queueSlots, List<String> types,
                  List<RunningJob> runningJobs, java.util.function.Function<String, io.grpc.ManagedChannel> channels,
                  Consumer<List<Long>> stop) {
        execute(() -> {
            Node node = nodes.get(id);
            if (node == null || !node.address.equals(address) || node.port != port) {
                if (node != null) {
                    node.channel.shutdownNow();
                }
                node = new Node(id, address, port, channels.apply(address + ":" + port));
                nodes.put(id, node);
                for (InFlight f : inFlight.values()) {
                    if (id.equals(f.node)) {
                        node.assigned++;
                    }
                }
            }
            node.types = Set.copyOf(types);
            node.workerCount = workers;
            node.capacity = healthy >= 0 ? healthy
                    : idle + (int) runningJobs.stream().filter(j -> !j.getWorker().isEmpty()).count();
            node.queueSlots = queueSlots;
            node.blocked = false;
            node.online = true;
            node.lastSeenMs = clock.millis();
            node.draining = false;
            int adopted = 0;
            List<Long> superseded = new ArrayList<>();
            // Jobs it reports that wait here as PENDING, taken out of the ready queues in one pass.
            Map<Long, ReadyJob> pending = ready.takeAll(runningJobs.stream().map(RunningJob::getJobId)
                    .filter(j -> !inFlight.containsKey(j)).collect(java.util.stream.Collectors.toSet()));
            for (RunningJob r : runningJobs) {
                InFlight f = inFlight.get(r.getJobId());
                ReadyJob waiting = pending.remove(r.getJobId());
                if (f == null && waiting != null && adoptPending(node, r, waiting)) {
                    adopted++;
                } else if (f == null || f.attempt != r.getAttempt() || f.confirmed && !id.equals(f.node)) {
                    // A job this leader gave to another node is that node's, even with the same attempt number.
                    superseded.add(r.getJobId());
                } else {
                    untrack(f.job.id());
                    f.node = id;
                    f.confirmed = true;
                    track(f);
                    adopted++;
                    if (!f.running && !r.getWorker().isEmpty()) {
                        markRunning(f, r.getWorker());
                    }
                }
            }
            pending.values().forEach(j -> ready.add(j, 0));
            refreshKnownTypes();
            log.info("Node {} registered: {} workers ({} idle), {} running jobs reported, {} adopted, {} to stop",
                    id, workers, idle, runningJobs.size(), adopted, superseded.size());
            stop.accept(superseded);
        });
    }

    /**
     * A job the node runs that waits here as PENDING: the previous leader delivered it and stopped before the
     * assignment was recorded. The node keeps it, and the assignment is recorded now; nothing runs twice.
     */
    private boolean adoptPending(Node node, RunningJob r, ReadyJob j) {
        if (j.nextAttempt() != r.getAttempt()) {
            ready.add(j, 0);
            return false;
        }
        InFlight f = new InFlight(j, r.getAttempt(), node.id, false, true);
        track(f);
        writer.deferHeld(List.of(StateChange.of(j.id(), EnumSet.of(PENDING), ASSIGNED).node(node.id)
                .event("ASSIGNED", "adopted: " + node.id + " ran it when this leader took over").attempts(-1).build()));
        if (!r.getWorker().isEmpty()) {
            markRunning(f, r.getWorker());
        }
        return true;
    }

    /**
     * Updates the node's view from its heartbeat and answers it: unknown (register again), jobs it runs that it
     * should not (superseded attempts), and whether it should drain.
     */
    void heartbeat(HeartbeatRequest r, Consumer<HeartbeatResponse> answer) {
        execute(() -> {
            Node node = nodes.get(r.getNodeId());
            HeartbeatResponse.Builder resp = HeartbeatResponse.newBuilder().setEpoch(epoch);
            if (node == null || !node.online) {
                answer.accept(resp.setKnown(false).build());
                return;
            }
            node.lastSeenMs = clock.millis();
            // A busy worker may hold several quick jobs: busy counts jobs, so only an old assistant's sum is used.
            node.capacity = r.hasHealthyCount() ? r.getHealthyCount() : r.getIdleCount() + r.getBusyCount();
            node.queueSlots = r.getQueueSlots();
            node.blocked = false;
            node.state = r.getState();
            node.broken = r.getBrokenCount();
            node.restarts = r.getRestarts();
            node.overLimit = Placement.check(r.getState(), timing);
            for (RunningJob j : r.getRunningList()) {
                InFlight f = inFlight.get(j.getJobId());
                if (f == null || f.attempt != j.getAttempt() || !node.id.equals(f.node)) {
                    resp.addStop(j.getJobId());
                } else if (!f.running && !j.getWorker().isEmpty()) {
                    markRunning(f, j.getWorker()); // it waited there for a worker and has started since
                }
            }
            answer.accept(resp.setKnown(true).setDrain(node.draining).build());
        });
    }

    /** Stops new deliveries to the node; it finishes what it runs, then leaves. False if unknown. */
    void drain(String id, Consumer<Boolean> done) {
        execute(() -> {
            Node node = nodes.get(id);
            if (node != null) {
                node.draining = true;
                log.info("Node {} drains: no new work; {} jobs still run there", id, node.assigned);
            }
            done.accept(node != null);
        });
    }

    /** A drained node left: forget it; anything still counted on it runs again elsewhere. */
    void leave(String id) {
        execute(() -> {
            Node node = nodes.remove(id);
            if (node == null) {
                return;
            }
            List<Long> left = new ArrayList<>();
            inFlight.forEach((jobId, f) -> {
                if (id.equals(f.node)) {
                    left.add(jobId);
                }
            });
            node.channel.shutdownNow();
            putBack(left, "NODE_LEFT", id + " left the cluster");
            refreshKnownTypes();
            log.info("Node {} left the cluster after draining", id);
        });
    }

    private void refreshKnownTypes() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        nodes.values().stream().filter(n -> n.online).forEach(n -> all.addAll(n.types));
        knownTypes = java.util.Collections.unmodifiableSortedSet(all);
        List<ReadyJob> parked = new ArrayList<>();
        parkedByType.values().forEach(parked::addAll);
        parkedByType.clear();
        long now = clock.millis();
        for (ReadyJob j : parked) {
            if (all.contains(j.type())) {
                ready.add(j, now);
            } else {
                parkOrBury(j);
            }
        }
    }

    // ---- the loop ----

    private void loop() {
        while (running) {
            Runnable task;
            while ((task = inbox.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Dispatcher task failed; the dispatcher goes on", e);
                }
            }
            long now = clock.millis();
            if (now >= nextHousekeepingMs) {
                housekeeping(now);
                nextHousekeepingMs = now + 250;
            }
            long nextDue = ready.promoteDue(now);
            dispatch(now);
            writer.release(); // this turn's outcomes and the assignments that refill their slots: one commit
            long wakeAt = nextHousekeepingMs;
            if (nextDue > 0) {
                wakeAt = Math.min(wakeAt, nextDue);
            }
            long nextToken = ready.nextTokenAtMs(now);
            if (nextToken > 0) {
                wakeAt = Math.min(wakeAt, nextToken);
            }
            if (inbox.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, wakeAt - clock.millis())));
            }
        }
    }

    private void dispatch(long now) {
        Map<Node, List<InFlight>> groups = new LinkedHashMap<>();
        // A job no free node can take (its type runs elsewhere) must not hold up the jobs behind it.
        List<ReadyJob> noRoom = new ArrayList<>();
        while (ready.hasDue() && anyFree() && noRoom.size() < MAX_SET_ASIDE) {
            ReadyJob job = ready.poll(now);
            if (job == null) {
                break; // every queue with due jobs is paused or at a limit
            }
            Node node = pick(job.type());
            if (node == null) {
                noRoom.add(job);
                continue;
            }
            InFlight f = new InFlight(job, job.nextAttempt(), node.id, false, true);
            track(f);
            groups.computeIfAbsent(node, n -> new ArrayList<>()).add(f);
        }
        noRoom.forEach(j -> ready.add(j, 0));
        groups.forEach(this::assign);
    }

    private boolean anyFree() {
        for (Node n : nodes.values()) {
            if (n.free() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The node with the most idle workers, then the most room: a job waits behind another only if it must. */
    private Node pick(String type) {
        Node best = null;
        for (Node n : nodes.values()) {
            if (n.canTake(type) && (best == null || n.idleEstimate() > best.idleEstimate()
                    || n.idleEstimate() == best.idleEstimate() && n.free() > best.free())) {
                best = n;
            }
        }
        return best;
    }

    /**
     * Delivers at once and records ASSIGNED off the job's path: the writer defers it up to its linger, so a quick
     * job's ASSIGNED, RUNNING and outcome become one row write (see {@link WriteBatcher}). The writer keeps order and
     * tries a failed batch again before any later one, so a job's later changes (RUNNING, its outcome) land after
     * its ASSIGNED; if it gives up, this manager stops leading, a new leader reloads the jobs, and a node's report
     * adopts what runs there (see {@link #register}). Nothing is delivered once the lease might have lapsed unseen
     * (fencing, DESIGN §5).
     */
    private void assign(Node node, List<InFlight> flights) {
        if (!leaseFresh.getAsBoolean()) {
            if (!leaseStale) {
                log.warn("The leader lease was not renewed in time: no deliveries until it is (or until this manager"
                        + " steps down)");
                leaseStale = true;
            }
            flights.forEach(f -> {
                untrack(f.job.id());
                ready.add(f.job, 0);
            });
            return;
        }
        leaseStale = false;
        List<StateChange> changes = new ArrayList<>(flights.size());
        DeliverRequest.Builder req = DeliverRequest.newBuilder().setEpoch(epoch);
        long now = clock.millis();
        for (InFlight f : flights) {
            changes.add(StateChange.of(f.job.id(), EnumSet.of(PENDING), ASSIGNED).node(node.id)
                    .event("ASSIGNED", null).attempts(-1).build());
            ReadyJob j = f.job;
            req.addJobs(Delivery.newBuilder().setJobId(j.id()).setType(j.type()).setQueue(j.queue())
                    .setPayload(com.google.protobuf.ByteString.copyFrom(j.payload()))
                    .setAttempt(f.attempt).setTimeoutMs(j.timeoutMs()));
            metrics.dispatched(now - j.runAtMs());
        }
        writer.deferHeld(changes).whenComplete((applied, err) -> execute(() -> recorded(node, flights, applied, err)));
        deliver(node, req.build(), flights);
    }

    private void recorded(Node node, List<InFlight> flights, boolean[] applied, Throwable err) {
        if (err != null) {
            return; // the writer gives up only when this manager stops leading; the next leader reloads the jobs
        }
        for (int i = 0; i < flights.size(); i++) {
            InFlight f = flights.get(i);
            if (!applied[i] && inFlight.get(f.job.id()) == f) {
                log.warn("Job {} was not PENDING when its assignment to {} was recorded (changed outside the manager?);"
                        + " its outcome may be refused", f.job.id(), node.id);
            }
        }
    }

    private void deliver(Node node, DeliverRequest req, List<InFlight> sent) {
        node.stub.withDeadlineAfter(10, TimeUnit.SECONDS).deliver(req, new StreamObserver<>() {
            @Override
            public void onNext(DeliverResponse resp) {
                execute(() -> delivered(node, sent, resp));
            }

            @Override
            public void onError(Throwable t) {
                execute(() -> deliveryFailed(node, sent, t));
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    private void delivered(Node node, List<InFlight> sent, DeliverResponse resp) {
        node.delivered += resp.getAcceptedCount();
        Map<Long, String> workers = new HashMap<>();
        for (AcceptedOn a : resp.getAcceptedOnList()) {
            workers.put(a.getJobId(), a.getWorker());
        }
        for (long id : resp.getAcceptedList()) {
            InFlight f = inFlight.get(id);
            // Accepted without a worker: it waits there for one, and shows RUNNING once its outcome says when it started.
            if (f != null && !f.running && workers.containsKey(id)) {
                markRunning(f, workers.get(id));
            }
        }
        if (resp.getRefusedCount() > 0) {
            node.refused += resp.getRefusedCount();
            node.blocked = true;
            log.debug("Node {} refused {} jobs (no idle worker); redirecting them", node.id, resp.getRefusedCount());
            requeue(resp.getRefusedList(), "REFUSED", "no idle worker on " + node.id + "; redirected");
        }
    }

    private void deliveryFailed(Node node, List<InFlight> sent, Throwable t) {
        node.blocked = true;
        log.warn("Delivery of {} jobs to {} failed ({}); they go back to the ready queue", sent.size(), node.id, t.toString());
        requeue(sent.stream().map(f -> f.job.id()).toList(), "DELIVERY_FAILED", node.id + ": " + t);
    }

    /** ASSIGNED -> PENDING without counting an attempt (the node never ran them), then ready again. */
    private void requeue(List<Long> ids, String event, String detail) {
        List<StateChange> changes = new ArrayList<>();
        List<InFlight> flights = new ArrayList<>();
        for (long id : ids) {
            InFlight f = untrack(id);
            if (f != null) {
                flights.add(f);
                changes.add(StateChange.of(id, EnumSet.of(ASSIGNED), PENDING).event(event, detail).build());
            }
        }
        writer.applyHeld(changes).whenComplete((applied, err) -> execute(() -> {
            for (int i = 0; i < flights.size(); i++) {
                if (err == null && applied[i]) {
                    ready.add(flights.get(i).job, 0);
                }
            }
        }));
    }

    private void markRunning(InFlight f, String worker) {
        f.running = true;
        writer.deferHeld(List.of(StateChange.of(f.job.id(), EnumSet.of(ASSIGNED), RUNNING).attempts(f.attempt)
                .node(f.node).worker(worker).startedAt(clock.millis()).event("RUNNING", null).build()));
    }

    private void track(InFlight f) {
        if (inFlight.put(f.job.id(), f) == null) {
            ready.started(f.job);
        }
        Node n = f.node == null ? null : nodes.get(f.node);
        if (n != null) {
            n.assigned++;
        }
    }

    private InFlight untrack(long id) {
        InFlight f = inFlight.remove(id);
        if (f != null) {
            ready.ended(f.job);
        }
        Node n = f == null || f.node == null ? null : nodes.get(f.node);
        if (n != null) {
            n.assigned--;
        }
        return f;
    }

    /** Called after a split's children are stored, to wake the sweep that brings them here. */
    void onChildrenStored(Runnable r) {
        childrenStored = r;
    }

    Runnable childrenStoredSignal() {
        return childrenStored;
    }

    // ---- results ----

    /** Applies a batch of outcomes; {@code ack} gets (accepted, stale) once they are durable. */
    void complete(String nodeId, List<JobOutcome> outcomes, java.util.function.BiConsumer<Integer, Integer> ack,
                  Consumer<Throwable> fail) {
        execute(() -> {
            List<StateChange> changes = new ArrayList<>();
            List<Runnable> afterCommit = new ArrayList<>();
            List<InFlight> taken = new ArrayList<>();
            List<InFlight> madeRunning = new ArrayList<>();
            int stale = 0;
            Node node = nodes.get(nodeId);
            if (node != null && !outcomes.isEmpty()) {
                node.blocked = false; // a job ended there: it has room again, whatever it refused before
            }
            for (JobOutcome o : outcomes) {
                InFlight f = inFlight.get(o.getJobId());
                // Another node's outcome for the same attempt: one a new leader had to give again (see register).
                if (f == null || f.attempt != o.getAttempt() || !nodeId.equals(f.node)) {
                    stale++;
                    continue;
                }
                untrack(o.getJobId());
                taken.add(f);
                if (o.getStartedAtMs() > 0) {
                    metrics.pickedUp(o.getStartedAtMs() - f.job.runAtMs());
                }
                boolean started = f.running;
                if (!started) {
                    f.running = true;
                    madeRunning.add(f);
                }
                changes.add(outcomeChange(f, o, started, afterCommit));
                if (!o.getWorkerLost()) {
                    ready.outcome(f.job.queue(), o.getStatus() == JobOutcome.Status.SUCCEEDED);
                }
            }
            int accepted = outcomes.size() - stale;
            int staleCount = stale;
            if (stale > 0) {
                log.info("Refused {} stale results from {} (attempts superseded or jobs already final)", stale, nodeId);
            }
            writer.applyHeld(changes).whenComplete((applied, err) -> {
                if (err != null) {
                    // Not durable: keep the jobs in flight so the assistant's resend is accepted.
                    execute(() -> {
                        madeRunning.forEach(f -> f.running = false);
                        taken.forEach(f -> {
                            if (!inFlight.containsKey(f.job.id())) {
                                track(f);
                            }
                        });
                    });
                    fail.accept(err);
                    return;
                }
                ack.accept(accepted, staleCount);
                execute(() -> afterCommit.forEach(Runnable::run));
            });
        });
    }

    /** The outcome's move; a job not yet shown RUNNING (it waited on its node) gets there in the same write. */
    private StateChange outcomeChange(InFlight f, JobOutcome o, boolean shownRunning, List<Runnable> afterCommit) {
        StateChange.Builder b = outcomeMove(f, o, shownRunning ? EnumSet.of(RUNNING) : EnumSet.of(ASSIGNED, RUNNING),
                afterCommit);
        // The assistant's start time is the true one: a heartbeat only shows that the job had started by then.
        b.startedAt(o.getStartedAtMs());
        return shownRunning ? b.build() : b.via(RUNNING).attempts(f.attempt).node(f.node).build();
    }

    private StateChange.Builder outcomeMove(InFlight f, JobOutcome o, Set<JobState> from, List<Runnable> afterCommit) {
        long id = f.job.id();
        long now = clock.millis();
        String worker = o.getWorker();
        switch (o.getStatus()) {
            case SUCCEEDED -> {
                String result = o.getResult().isEmpty() ? null : o.getResult().toString(StandardCharsets.UTF_8);
                StateChange.Builder split = Splits.park(id, from, result, f.job.queue(), worker, afterCommit,
                        childrenStored);
                if (split != null) {
                    return split;
                }
                afterCommit.add(() -> waiters.done(id));
                metrics.outcome(f.job, "succeeded");
                return StateChange.of(id, from, SUCCEEDED).result(result).worker(worker).finishedAt(o.getFinishedAtMs())
                        .event("SUCCEEDED", null);
            }
            case CANCELLED -> {
                afterCommit.add(() -> waiters.done(id));
                metrics.outcome(f.job, "cancelled");
                return StateChange.of(id, from, CANCELLED).worker(worker).finishedAt(now)
                        .event("CANCELLED", o.getError());
            }
            default -> {
                if (o.getRetryable() && f.attempt < f.job.maxAttempts()) {
                    // A worker that died under the job is not the job's fault: it keeps its place at the head.
                    long runAt = o.getWorkerLost() ? Math.min(now, f.job.runAtMs()) : now + Backoff.delayMs(f.attempt);
                    ReadyJob again = f.job.again(runAt, f.attempt);
                    afterCommit.add(() -> ready.add(again, clock.millis()));
                    metrics.outcome(f.job, "failed");
                    return StateChange.of(id, from, PENDING).error(o.getError()).worker(worker).runAt(runAt)
                            .event("FAILED", "attempt " + f.attempt + ": " + o.getError());
                }
                afterCommit.add(() -> waiters.done(id));
                metrics.outcome(f.job, "dead");
                return StateChange.of(id, from, DEAD).error(o.getError()).worker(worker).finishedAt(now)
                        .event("DEAD", "attempt " + f.attempt + ": " + o.getError());
            }
        }
    }

    private void writeFinal(StateChange change) {
        writer.applyHeld(List.of(change)).thenRun(() -> waiters.done(change.jobId()));
    }

    // ---- cancel ----

    /** Cancels a job that is not final; {@code done} gets the node it ran on (or null) once CANCELLED is durable. */
    void cancel(long id, Consumer<String> done, Consumer<Throwable> fail) {
        execute(() -> {
            boolean wasReady = ready.remove(id);
            InFlight f = untrack(id);
            parkedByType.values().forEach(l -> l.removeIf(j -> j.id() == id));
            Set<JobState> from = f != null ? ACTIVE : EnumSet.of(PENDING);
            if (!wasReady && f == null) {
                from = EnumSet.of(PENDING, ASSIGNED, RUNNING);
            }
            String node = f == null ? null : f.node;
            StateChange c = StateChange.of(id, from, CANCELLED).finishedAt(clock.millis()).event("CANCELLED", "by request").build();
            writer.applyHeld(List.of(c)).whenComplete((applied, err) -> {
                if (err != null) {
                    fail.accept(err);
                } else {
                    waiters.done(id);
                    done.accept(node);
                }
            });
        });
    }

    Node node(String id) {
        return id == null ? null : nodes.get(id);
    }

    // ---- housekeeping: lost nodes, unconfirmed jobs after a leader change ----

    private void housekeeping(long now) {
        if (!parkedByType.isEmpty()) {
            refreshKnownTypes(); // buries jobs of types nobody runs once the reconcile grace is over
        }
        for (Node n : nodes.values()) {
            if (n.online && now - n.lastSeenMs > timing.nodeGraceMs()) {
                n.online = false;
                List<Long> lost = new ArrayList<>();
                inFlight.forEach((id, f) -> {
                    if (n.id.equals(f.node)) {
                        lost.add(id);
                    }
                });
                log.warn("Node {} missed heartbeats for {} ms: offline; {} of its jobs go back to the ready queue",
                        n.id, now - n.lastSeenMs, lost.size());
                putBack(lost, "NODE_LOST", n.id + " went offline");
                refreshKnownTypes();
            }
        }
        List<Long> unconfirmed = new ArrayList<>();
        inFlight.forEach((id, f) -> {
            if (!f.confirmed && now >= f.deadlineMs) {
                unconfirmed.add(id);
            }
        });
        if (!unconfirmed.isEmpty()) {
            log.info("{} jobs from the previous leader were not reported by any node; they run again", unconfirmed.size());
            putBack(unconfirmed, "RECOVERED", "not reported by any node after a leader change");
        }
    }

    /** ASSIGNED/RUNNING -> PENDING for jobs whose node is gone; the attempt already run stays counted. */
    private void putBack(List<Long> ids, String event, String detail) {
        List<StateChange> changes = new ArrayList<>();
        List<ReadyJob> again = new ArrayList<>();
        for (long id : ids) {
            InFlight f = untrack(id);
            if (f == null) {
                continue;
            }
            int attempts = f.running ? f.attempt : f.job.attempts();
            if (attempts >= f.job.maxAttempts()) {
                String why = detail + " during its last attempt (" + attempts + " of " + f.job.maxAttempts() + ")";
                // Only a started attempt is counted, so it ran: via RUNNING, also if its RUNNING is not recorded yet.
                writeFinal(StateChange.of(id, ACTIVE, DEAD).via(RUNNING).attempts(attempts).error(why)
                        .finishedAt(clock.millis()).event("DEAD", why).build());
                continue;
            }
            changes.add(StateChange.of(id, ACTIVE, PENDING).attempts(attempts).event(event, detail).build());
            again.add(f.job.again(0, attempts));
        }
        writer.applyHeld(changes).whenComplete((applied, err) -> execute(() -> {
            for (int i = 0; i < again.size(); i++) {
                if (err == null && applied[i]) {
                    ready.add(again.get(i), 0);
                }
            }
        }));
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        nodes.values().forEach(n -> n.channel.shutdownNow());
    }
}

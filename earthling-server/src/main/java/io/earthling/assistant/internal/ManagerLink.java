package io.earthling.assistant.internal;

import io.earthling.grpc.GrpcServers;
import io.earthling.grpc.MessageSizes;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.LeaveRequest;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.earthling.protocol.manager.ResultBatch;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant's link to the leader, on two threads. The link thread ({@link #run}) registers (the leader as last
 * known or as a standby names it first, then the configured managers) and sends outcomes in batches, keeping them
 * until the leader acknowledges them. The heartbeat thread ({@link #heartbeats()}) beats every interval on its
 * own, so a result report waiting on a slow commit, or a registration, never delays a beat.
 *
 * <p>Answers from an epoch older than the highest this node has seen (a deposed leader that resumed) are not
 * obeyed: their stop lists are ignored and the node registers again.
 */
final class ManagerLink implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ManagerLink.class);
    static final long REGISTER_DEADLINE_MS = 3_000;
    /** For a leader that stopped answering heartbeats: it may be back, but the others must not wait behind it. */
    static final long SILENT_REGISTER_DEADLINE_MS = 1_000;
    /** The leader's stop list holds cancelled jobs and jobs given to another node alike: name both. */
    private static final String SUPERSEDED = "stopped: the leader no longer counts this attempt (the job was cancelled,"
            + " or given to another node)";

    /** A registration the leader accepted: where it is and the epoch it leads with. */
    private record Connection(String target, ManagedChannel channel, CoordinatorGrpc.CoordinatorBlockingStub stub,
                              long epoch) {
    }

    private final String nodeId;
    private final String address;
    private final int port;
    private final LeaderTargets targets;
    private final SlotPool pool;
    private final RunningJobs running;
    private final ResultOutbox outbox;
    private final LocalQueue service;
    private final EpochGate epochs;
    private final List<String> types;
    private final long heartbeatMs;
    private final Lifecycle lifecycle;
    private final NodeStates states = new NodeStates(new java.io.File("."));
    private final AtomicReference<Connection> current = new AtomicReference<>();
    private volatile boolean stopped;
    private boolean warned;
    private java.util.function.Function<String, ManagedChannel> channels = GrpcServers::channel;

    ManagerLink(String address, int port, List<String> managers, SlotPool pool, RunningJobs running, ResultOutbox outbox,
                LocalQueue service, EpochGate epochs, List<String> types, long heartbeatMs, Lifecycle lifecycle) {
        this.nodeId = address + ":" + port;
        this.address = address;
        this.port = port;
        this.targets = new LeaderTargets(managers);
        this.pool = pool;
        this.running = running;
        this.outbox = outbox;
        this.service = service;
        this.epochs = epochs;
        this.types = types;
        this.heartbeatMs = heartbeatMs;
        this.lifecycle = lifecycle;
    }

    /** The link thread: registration, result reports and leaving. */
    @Override
    public void run() {
        while (!stopped) {
            Connection c = current.get();
            try {
                if (c == null) {
                    if (!register()) {
                        Thread.sleep(500);
                    }
                    continue;
                }
                List<JobOutcome> batch = outbox.next(1000, MessageSizes.BATCH_BYTES, 100);
                if (!batch.isEmpty()) {
                    long sent = lifecycle.now();
                    c.stub().withDeadlineAfter(15, TimeUnit.SECONDS)
                            .reportResults(ResultBatch.newBuilder().setNodeId(nodeId).addAllOutcomes(batch).build());
                    outbox.acknowledged();
                    lifecycle.contact(sent);
                }
                if (lifecycle.draining() && running.size() == 0 && service.waitingCount() == 0 && outbox.waiting() == 0) {
                    c.stub().withDeadlineAfter(3, TimeUnit.SECONDS).leave(LeaveRequest.newBuilder().setNodeId(nodeId).build());
                    log.info("Drained: no job runs here and every result is acknowledged; leaving the cluster");
                    lifecycle.leave();
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lost(c, "results not acknowledged: " + e.getMessage());
            }
        }
    }

    /** The heartbeat thread's loop: a beat every interval while registered, whatever the link thread waits on. */
    Runnable heartbeats() {
        return () -> {
            long next = lifecycle.now();
            while (!stopped) {
                long wait = next - lifecycle.now();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                next = lifecycle.now() + heartbeatMs; // a late beat does not make the next ones come in a burst
                Connection c = current.get();
                if (c == null) {
                    continue;
                }
                if (lifecycle.fenced()) {
                    // It stopped its jobs on its own: only a registration tells the leader what still runs here.
                    lost(c, "this node fenced itself off after " + lifecycle.silentForMs() + " ms without an answer");
                    continue;
                }
                try {
                    beat(c);
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED && lifecycle.inContact()) {
                        // A slow leader is still the leader until the self-fence deadline says it is too slow.
                        log.warn("Heartbeat to the leader {} not answered within {} ms; beating again in {} ms",
                                c.target(), beatDeadlineMs(), heartbeatMs);
                    } else if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                        targets.silent(c.target());
                        lost(c, "no answer for " + lifecycle.silentForMs() + " ms, past the self-fence deadline");
                    } else {
                        lost(c, e.getStatus().getCode() + " " + e.getStatus().getDescription());
                    }
                } catch (RuntimeException e) {
                    lost(c, e.toString());
                }
            }
        };
    }

    /**
     * As long as the self-fence deadline: a beat the leader answers late still counts (from when it was sent, as
     * the leader counts it from when it handled it); a 1 s deadline made a leader busy with a burst of submissions
     * look silent, and nodes fenced themselves off while the leader still counted them alive.
     */
    private long beatDeadlineMs() {
        return Math.max(Math.max(500, heartbeatMs), lifecycle.selfFenceMs());
    }

    private boolean register() {
        lifecycle.registration.lock();
        try {
            return registerLocked();
        } finally {
            lifecycle.registration.unlock();
        }
    }

    /** Managers are reached through {@code channels} (target to channel): plaintext unless set, e.g. with TLS. */
    ManagerLink channels(java.util.function.Function<String, ManagedChannel> channels) {
        this.channels = channels;
        return this;
    }

    private boolean registerLocked() {
        RegisterRequest req = RegisterRequest.newBuilder().setNodeId(nodeId).setAddress(address).setPort(port)
                .setWorkerCount(pool.size()).setIdleCount(pool.idleCount()).addAllTypes(types)
                .addAllRunning(service.registrationReport()).setQueueSlots(service.announceQueueSlots())
                .setHealthyCount(pool.healthyCount()).build();
        Deque<String> order = new ArrayDeque<>(targets.order());
        Set<String> asked = new HashSet<>();
        while (!order.isEmpty()) {
            String target = order.poll();
            if (!asked.add(target)) {
                continue;
            }
            ManagedChannel ch = channels.apply(target);
            boolean kept = false;
            try {
                CoordinatorGrpc.CoordinatorBlockingStub stub = CoordinatorGrpc.newBlockingStub(ch);
                long deadline = targets.isSilent(target) ? SILENT_REGISTER_DEADLINE_MS : REGISTER_DEADLINE_MS;
                RegisterResponse r = stub.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS).register(req);
                if (r.getLeader() && epochs.accept(r.getEpoch())) {
                    // From the answer: the leader counts the node's grace from when it handled the registration,
                    // just before it answered; the request's time includes this JVM's first-call warm-up.
                    lifecycle.registered(lifecycle.now(), r.getSelfFenceMs());
                    stop(r.getStopList());
                    targets.registeredWith(target);
                    current.set(new Connection(target, ch, stub, r.getEpoch()));
                    kept = true;
                    warned = false;
                    log.info("Registered with the leader {} (epoch {}): {} workers, {} running; self-fencing after {} ms"
                            + " without contact", target, r.getEpoch(), pool.size(), req.getRunningCount(),
                            lifecycle.selfFenceMs());
                    return true;
                }
                if (r.getLeader()) {
                    log.warn("Manager {} answered as leader of epoch {}, but this node follows epoch {}: not obeying"
                            + " it; trying the others", target, r.getEpoch(), epochs.highest());
                } else if (!r.getLeaderAddress().isEmpty() && !asked.contains(r.getLeaderAddress())
                        && !targets.isSilent(r.getLeaderAddress())) {
                    log.info("Manager {} is not the leader; it names {} as the leader: registering there next",
                            target, r.getLeaderAddress());
                    targets.leaderIs(r.getLeaderAddress());
                    order.addFirst(r.getLeaderAddress());
                }
            } catch (RuntimeException e) {
                if (!warned) {
                    log.warn("Manager {} not reachable ({}); trying the others every 500 ms", target, e.getMessage());
                }
            } finally {
                if (!kept) {
                    ch.shutdownNow();
                }
            }
        }
        warned = true;
        return false;
    }

    private void beat(Connection c) {
        int broken = 0;
        int restarts = 0;
        for (WorkerSlot s : pool.all()) {
            if (s instanceof ProcessSlot p) {
                broken += p.broken() ? 1 : 0;
                restarts += p.restarts();
            }
        }
        long sent = lifecycle.now();
        HeartbeatResponse r = c.stub().withDeadlineAfter(beatDeadlineMs(), TimeUnit.MILLISECONDS).heartbeat(
                HeartbeatRequest.newBuilder()
                .setNodeId(nodeId).setIdleCount(lifecycle.takesWork() ? pool.idleCount() : 0)
                .setBusyCount(running.size()).setHealthyCount(lifecycle.takesWork() ? pool.healthyCount() : 0)
                .addAllRunning(service.snapshot()).setState(states.read())
                .setQueueSlots(lifecycle.takesWork() ? service.announceQueueSlots() : 0)
                .setBrokenCount(broken).setRestarts(restarts).setDraining(lifecycle.draining()).build());
        if (!epochs.accept(r.getEpoch())) {
            lost(c, "it answers for epoch " + r.getEpoch() + " but this node follows epoch " + epochs.highest()
                    + " (a newer leader); its stop list (" + r.getStopCount() + " jobs) is ignored");
            return;
        }
        lifecycle.contact(sent);
        stop(r.getStopList());
        if (r.getDrain() && !lifecycle.draining()) {
            log.info("The leader asks this node to drain: no new work; leaving once running jobs finish");
            lifecycle.drain();
        }
        if (!r.getKnown()) {
            lost(c, "it does not know this node (it restarted or took us offline)");
        }
    }

    private void stop(List<Long> ids) {
        long now = running.now();
        for (long id : ids) {
            if (service.dropWaiting(id)) {
                log.info("Dropped job {} that waited here for a worker ({})", id, SUPERSEDED);
            }
            RunningJobs.Entry e = running.get(id);
            if (e != null && e.stopReason == null) {
                log.info("Stopping job {} ({})", id, SUPERSEDED);
                e.stop(SUPERSEDED, false, now);
            }
        }
    }

    /** The connection {@code c} no longer serves (once, whichever thread notices first): the link registers again. */
    private void lost(Connection c, String why) {
        if (c != null && current.compareAndSet(c, null)) {
            log.warn("Lost the leader {} ({}); registering again (the last known leader first), {} results kept",
                    c.target(), why, outbox.waiting());
            c.channel().shutdownNow();
        }
    }

    /** The leader this node is registered with now, or null. */
    String leader() {
        Connection c = current.get();
        return c == null ? null : c.target();
    }

    void stop() {
        stopped = true;
        Connection c = current.getAndSet(null);
        if (c != null) {
            c.channel().shutdownNow();
        }
    }
}

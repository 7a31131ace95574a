package io.earthling.assistant.internal;

import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.LeaveRequest;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.earthling.protocol.manager.ResultBatch;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant's one thread towards the leader: registers (trying each known manager), beats every interval,
 * and sends outcomes in batches, keeping them until the leader acknowledges them.
 */
final class ManagerLink implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ManagerLink.class);

    private final String nodeId;
    private final String address;
    private final int port;
    private final List<String> managers;
    private final SlotPool pool;
    private final RunningJobs running;
    private final ResultOutbox outbox;
    private final EarthlingService service;
    private final List<String> types;
    private final long heartbeatMs;
    private final Lifecycle lifecycle;
    private final NodeStates states = new NodeStates(new java.io.File("."));
    private ManagedChannel channel;
    private CoordinatorGrpc.CoordinatorBlockingStub leader;
    private volatile boolean stopped;
    private boolean warned;

    ManagerLink(String address, int port, List<String> managers, SlotPool pool, RunningJobs running, ResultOutbox outbox,
                EarthlingService service, List<String> types, long heartbeatMs, Lifecycle lifecycle) {
        this.nodeId = address + ":" + port;
        this.address = address;
        this.port = port;
        this.managers = managers;
        this.pool = pool;
        this.running = running;
        this.outbox = outbox;
        this.service = service;
        this.types = types;
        this.heartbeatMs = heartbeatMs;
        this.lifecycle = lifecycle;
    }

    @Override
    public void run() {
        long nextBeat = 0;
        while (!stopped) {
            try {
                if (leader == null) {
                    if (!register()) {
                        Thread.sleep(500);
                    }
                    continue;
                }
                List<JobOutcome> batch = outbox.next(1000, Math.max(1, nextBeat - System.currentTimeMillis()));
                if (!batch.isEmpty()) {
                    leader.withDeadlineAfter(15, TimeUnit.SECONDS)
                            .reportResults(ResultBatch.newBuilder().setNodeId(nodeId).addAllOutcomes(batch).build());
                    outbox.acknowledged();
                    lifecycle.contact(System.currentTimeMillis());
                }
                if (System.currentTimeMillis() >= nextBeat) {
                    beat();
                    nextBeat = System.currentTimeMillis() + heartbeatMs;
                }
                if (lifecycle.draining() && running.size() == 0 && service.waitingCount() == 0 && outbox.waiting() == 0) {
                    leader.withDeadlineAfter(3, TimeUnit.SECONDS).leave(LeaveRequest.newBuilder().setNodeId(nodeId).build());
                    log.info("Drained: no job runs here and every result is acknowledged; leaving the cluster");
                    lifecycle.leave();
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Lost contact with the manager ({}); registering again, {} results kept", e.getMessage(),
                        outbox.waiting());
                disconnect();
            }
        }
    }

    private boolean register() {
        lifecycle.registration.lock();
        try {
            return registerLocked();
        } finally {
            lifecycle.registration.unlock();
        }
    }

    private boolean registerLocked() {
        RegisterRequest req = RegisterRequest.newBuilder().setNodeId(nodeId).setAddress(address).setPort(port)
                .setWorkerCount(pool.size()).setIdleCount(pool.idleCount()).addAllTypes(types)
                .addAllRunning(service.registrationReport()).setQueueSlots(service.announceQueueSlots())
                .setHealthyCount(pool.healthyCount()).build();
        for (String target : managers) {
            ManagedChannel ch = GrpcServers.channel(target);
            try {
                CoordinatorGrpc.CoordinatorBlockingStub stub = CoordinatorGrpc.newBlockingStub(ch);
                RegisterResponse r = stub.withDeadlineAfter(3, TimeUnit.SECONDS).register(req);
                if (r.getLeader()) {
                    service.acceptEpoch(r.getEpoch());
                    lifecycle.registered(System.currentTimeMillis(), r.getSelfFenceMs());
                    stop(r.getStopList(), "stopped: superseded (the leader gave this job to another node)");
                    channel = ch;
                    leader = stub;
                    warned = false;
                    log.info("Registered with the leader {} (epoch {}): {} workers, {} running",
                            target, r.getEpoch(), pool.size(), req.getRunningCount());
                    return true;
                }
            } catch (RuntimeException e) {
                if (!warned) {
                    log.warn("Manager {} not reachable ({}); trying the others every 500 ms", target, e.getMessage());
                }
            }
            ch.shutdownNow();
        }
        warned = true;
        return false;
    }

    private void beat() {
        int broken = 0;
        int restarts = 0;
        for (WorkerSlot s : pool.all()) {
            if (s instanceof ProcessSlot p) {
                broken += p.broken() ? 1 : 0;
                restarts += p.restarts();
            }
        }
        HeartbeatResponse r = leader.withDeadlineAfter(3, TimeUnit.SECONDS).heartbeat(HeartbeatRequest.newBuilder()
                .setNodeId(nodeId).setIdleCount(lifecycle.takesWork() ? pool.idleCount() : 0)
                .setBusyCount(running.size()).setHealthyCount(lifecycle.takesWork() ? pool.healthyCount() : 0)
                .addAllRunning(service.snapshot()).setState(states.read())
                .setQueueSlots(lifecycle.takesWork() ? service.announceQueueSlots() : 0)
                .setBrokenCount(broken).setRestarts(restarts).setDraining(lifecycle.draining()).build());
        lifecycle.contact(System.currentTimeMillis());
        stop(r.getStopList(), "stopped: superseded (the leader gave this job to another node)");
        if (r.getDrain() && !lifecycle.draining()) {
            log.info("The leader asks this node to drain: no new work; leaving once running jobs finish");
            lifecycle.drain();
        }
        if (!r.getKnown()) {
            log.info("The manager does not know this node (it restarted or took us offline); registering again");
            disconnect();
        }
    }

    private void stop(List<Long> ids, String reason) {
        long now = System.currentTimeMillis();
        for (long id : ids) {
            if (service.dropWaiting(id)) {
                log.info("Dropped job {} that waited here for a worker ({})", id, reason);
            }
            RunningJobs.Entry e = running.get(id);
            if (e != null && e.stopReason == null) {
                log.info("Stopping job {} ({})", id, reason);
                e.stop(reason, false, now);
            }
        }
    }

    private void disconnect() {
        leader = null;
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }

    void stop() {
        stopped = true;
    }
}

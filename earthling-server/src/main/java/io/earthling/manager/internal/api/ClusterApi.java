package io.earthling.manager.internal.api;

import io.earthling.core.QueueSnapshot;
import io.earthling.manager.internal.dispatch.Node;
import io.earthling.manager.internal.dispatch.NodeCommands;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.intake.Intake;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.protocol.jobs.DrainNodeRequest;
import io.earthling.protocol.jobs.NodeInfo;
import io.earthling.protocol.jobs.NodesResponse;
import io.earthling.protocol.jobs.PauseQueueRequest;
import io.earthling.protocol.jobs.QueueInfo;
import io.earthling.protocol.jobs.QueuesResponse;
import io.earthling.store.QueueStates;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Nodes and queues as the leader sees them: list, drain a node, pause or resume a queue. */
public final class ClusterApi {
    private final Supplier<Leadership> leading;
    private final QueueStates queueStates;
    private final long heartbeatMs;

    /** {@code leading}: the leadership, or throws the refusal a standby answers. */
    ClusterApi(Supplier<Leadership> leading, QueueStates queueStates, long heartbeatMs) {
        this.leading = leading;
        this.queueStates = queueStates;
        this.heartbeatMs = heartbeatMs;
    }

    public CompletableFuture<NodesResponse> nodes() {
        Leadership l = leading.get();
        NodesResponse.Builder b = NodesResponse.newBuilder().setEpoch(l.epoch()).setLeader(l.self());
        long now = l.dispatcher().monotonicMs(); // nodes' last heartbeats are monotonic times
        l.dispatcher().nodes().stream().sorted(Comparator.comparing(n -> n.id)).forEach(n -> b.addNodes(info(n, now)));
        return CompletableFuture.completedFuture(b.build());
    }

    public CompletableFuture<NodeInfo> drain(DrainNodeRequest r) {
        Leadership l = leading.get();
        CompletableFuture<NodeInfo> answer = new CompletableFuture<>();
        l.dispatcher().drain(r.getNodeId(), known -> {
            Node n = l.dispatcher().node(r.getNodeId());
            if (!known || n == null) {
                answer.completeExceptionally(Refusal.notFound("no node " + r.getNodeId() + " (see earthling nodes)"));
                return;
            }
            NodeCommands.drain(n, l.epoch());
            answer.complete(info(n, l.dispatcher().monotonicMs()));
        });
        return answer;
    }

    private NodeInfo info(Node n, long now) {
        return NodeInfo.newBuilder().setNodeId(n.id).setStatus(n.status(now, heartbeatMs))
                .setWorkerCount(n.workerCount).setIdleCount(n.idleEstimate()).setRunning(n.assigned)
                .addAllTypes(io.earthling.api.internal.InternalTypes.visible(n.types)).setLastSeenMsAgo(now - n.lastSeenMs).setDelivered(n.delivered)
                .setRefused(n.refused).setCpuLoad(n.state.getCpuLoad()).setLoadAverage(n.state.getLoadAverage())
                .setMemoryAvailableBytes(n.state.getMemoryAvailableBytes())
                .setDiskAvailableBytes(n.state.getDiskAvailableBytes()).setIoWait(n.state.getIoWait())
                .setBroken(n.broken).setRestarts(n.restarts).setReason(n.reason()).build();
    }

    public CompletableFuture<QueuesResponse> queues() {
        Leadership l = leading.get();
        CompletableFuture<QueuesResponse> answer = new CompletableFuture<>();
        l.dispatcher().queues(all -> {
            QueuesResponse.Builder b = QueuesResponse.newBuilder();
            all.forEach(q -> b.addQueues(Convert.queue(q)));
            answer.complete(b.build());
        });
        return answer;
    }

    public CompletableFuture<QueueInfo> pauseQueue(PauseQueueRequest r) {
        Leadership l = leading.get();
        if (!Intake.NAME.matcher(r.getQueue()).matches()) {
            throw Refusal.invalid("queue: not a valid name: \"" + r.getQueue() + "\"");
        }
        CompletableFuture<List<QueueSnapshot>> known = new CompletableFuture<>();
        l.dispatcher().queues(known::complete);
        return known.thenComposeAsync(all -> {
            String refusal = PauseCheck.refusal(r.getQueue(), r.getPaused(), r.getCreate(),
                    all.stream().map(QueueSnapshot::name).toList());
            if (refusal != null) {
                throw Refusal.notFound(refusal);
            }
            return setPaused(l, r);
        }, Waiters.callbacks());
    }

    private CompletableFuture<QueueInfo> setPaused(Leadership l, PauseQueueRequest r) {
        try {
            queueStates.setPaused(r.getQueue(), r.getPaused(), l.epoch());
        } catch (RuntimeException e) {
            throw Refusal.unavailable("not stored: " + e.getMessage());
        }
        l.dispatcher().pause(r.getQueue(), r.getPaused());
        CompletableFuture<QueueInfo> answer = new CompletableFuture<>();
        l.dispatcher().queues(all -> answer.complete(pausedReply(r, all)));
        return answer;
    }

    /** The paused queue as the dispatcher sees it, or what was stored if the dispatcher does not list it: always one. */
    static QueueInfo pausedReply(PauseQueueRequest r, List<QueueSnapshot> all) {
        return all.stream().filter(q -> q.name().equals(r.getQueue())).findFirst().map(Convert::queue)
                .orElseGet(() -> QueueInfo.newBuilder().setName(r.getQueue()).setPaused(r.getPaused()).build());
    }
}

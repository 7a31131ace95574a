package io.earthling.manager.internal.rpc;

import io.earthling.manager.ManagerSettings;
import io.earthling.manager.internal.api.NotLeader;
import io.earthling.manager.internal.dispatch.Dispatcher;
import io.earthling.manager.internal.dispatch.NodeTable;
import io.earthling.manager.internal.intake.OutcomeIntake;
import io.earthling.manager.internal.intake.ResultCap;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.LeaveRequest;
import io.earthling.protocol.manager.LeaveResponse;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.earthling.protocol.manager.ResultAck;
import io.earthling.protocol.manager.ResultBatch;
import io.earthling.grpc.CallerRules;
import io.earthling.grpc.PeerIdentity;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where assistants register, beat and report results. A manager that does not lead answers a registration with
 * {@code leader=false} and the leader's address when the lease row names one, and refuses the other calls with
 * {@code UNAVAILABLE}.
 */
public final class CoordinatorService extends CoordinatorGrpc.CoordinatorImplBase {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CoordinatorService.class);
    private final Supplier<Dispatcher> leader;
    private final Supplier<Long> epoch;
    private final long heartbeatMs;
    private final long selfFenceMs;
    private final Function<String, ManagedChannel> channels;
    private final int maxResultBytes;
    private volatile LogKeeper logs;
    private volatile OutcomeIntake intake;
    private volatile NotLeader notLeader = new NotLeader("this manager");

    /** Leader-only calls to this manager while it does not lead are refused as {@code notLeader} says. */
    public CoordinatorService refuseWith(NotLeader notLeader) {
        this.notLeader = notLeader;
        return this;
    }

    /** Outcomes pass {@code intake} (caps on errors, logs and splits) before the dispatcher sees them. */
    public CoordinatorService checkOutcomes(OutcomeIntake intake) {
        this.intake = intake;
        return this;
    }

    /** From now on, the logs of durable outcomes go to {@code keeper}. */
    public CoordinatorService keepLogs(LogKeeper keeper) {
        this.logs = keeper;
        return this;
    }

    public CoordinatorService(Supplier<Dispatcher> leader, Supplier<Long> epoch, long heartbeatMs, long selfFenceMs,
                              Function<String, ManagedChannel> channels) {
        this(leader, epoch, heartbeatMs, selfFenceMs, channels, ManagerSettings.DEFAULT_MAX_RESULT_BYTES);
    }

    public CoordinatorService(Supplier<Dispatcher> leader, Supplier<Long> epoch, long heartbeatMs, long selfFenceMs,
                              Function<String, ManagedChannel> channels, int maxResultBytes) {
        this.maxResultBytes = maxResultBytes;
        this.selfFenceMs = selfFenceMs;
        this.leader = leader;
        this.epoch = epoch;
        this.heartbeatMs = heartbeatMs;
        this.channels = channels;
    }

    /**
     * False, with the call refused, when the caller's certificate does not name node {@code nodeId}: with TLS an
     * assistant registers, beats, reports results and logs, and leaves only for itself.
     */
    private static boolean speaksFor(String nodeId, StreamObserver<?> out) {
        Optional<CallerRules.Refused> refused = CallerRules.speaksFor(PeerIdentity.current(), nodeId);
        if (refused.isEmpty()) {
            return true;
        }
        log.warn("Refused a call for node {} from {}: {}", nodeId, PeerIdentity.current(), refused.get().message());
        out.onError(refused.get().status().asRuntimeException());
        return false;
    }

    @Override
    public void register(RegisterRequest r, StreamObserver<RegisterResponse> out) {
        if (!speaksFor(r.getNodeId(), out)) {
            return;
        }
        Dispatcher d = leader.get();
        if (d == null) {
            // An answer, not an error: the assistant goes straight to the leader it names.
            NotLeader refusal = notLeader;
            String leaderAddress = refusal.leader();
            out.onNext(RegisterResponse.newBuilder().setLeader(false).setMessage(refusal.message())
                    .setLeaderAddress(leaderAddress == null ? "" : leaderAddress).build());
            out.onCompleted();
            return;
        }
        int onWorkers = (int) r.getRunningList().stream().filter(j -> !j.getWorker().isEmpty()).count();
        d.register(new NodeTable.Registration(r.getNodeId(), r.getAddress(), r.getPort(), r.getWorkerCount(),
                r.getIdleCount(), r.hasHealthyCount() ? r.getHealthyCount() : -1, r.getQueueSlots(), r.getTypesList(),
                onWorkers), r.getRunningList(), channels, stop -> {
                    out.onNext(RegisterResponse.newBuilder().setLeader(true).setEpoch(epoch.get())
                            .setHeartbeatIntervalMs(heartbeatMs).setSelfFenceMs(selfFenceMs).addAllStop(stop).build());
                    out.onCompleted();
                });
    }

    @Override
    public void heartbeat(HeartbeatRequest r, StreamObserver<HeartbeatResponse> out) {
        if (!speaksFor(r.getNodeId(), out)) {
            return;
        }
        Dispatcher d = leader.get();
        if (d == null) {
            out.onError(ErrorMapping.status(notLeader.refusal()));
            return;
        }
        d.heartbeat(r, resp -> {
            out.onNext(resp);
            out.onCompleted();
        });
    }

    @Override
    public void leave(LeaveRequest r, StreamObserver<LeaveResponse> out) {
        if (!speaksFor(r.getNodeId(), out)) {
            return;
        }
        Dispatcher d = leader.get();
        if (d != null) {
            d.leave(r.getNodeId());
        }
        out.onNext(LeaveResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void reportResults(ResultBatch reported, StreamObserver<ResultAck> out) {
        if (!speaksFor(reported.getNodeId(), out)) {
            return;
        }
        OutcomeIntake checks = intake;
        ResultBatch batch = ResultCap.apply(checks == null ? reported : checks.apply(reported), maxResultBytes);
        Dispatcher d = leader.get();
        if (d == null) {
            out.onError(ErrorMapping.status(notLeader.refusal()));
            return;
        }
        d.complete(batch.getNodeId(), batch.getOutcomesList(), (accepted, stale) -> {
            out.onNext(ResultAck.newBuilder().setAccepted(accepted.size()).setStale(stale).build());
            out.onCompleted();
            LogKeeper k = logs;
            if (k != null) {
                // Only the logs of accepted outcomes: from the node the attempt ran on, for an attempt that exists
                // (issue 16, item 8); a stale or stranger's report plants nothing.
                k.keep(accepted);
            }
        }, err -> out.onError(Status.UNAVAILABLE.withDescription("results not stored: " + err).asRuntimeException()));
    }
}

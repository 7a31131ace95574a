package io.earthling.assistant.internal;

import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.earthling.protocol.manager.ResultAck;
import io.earthling.protocol.manager.ResultBatch;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A manager's Coordinator service on a real port, answering as a test sets it up: registrations by a function,
 * heartbeats with a fixed answer, result reports held until the test releases them. Counts what it got.
 */
final class FakeManager implements AutoCloseable {
    final List<RegisterRequest> registrations = new CopyOnWriteArrayList<>();
    final AtomicInteger beats = new AtomicInteger();
    final AtomicInteger reports = new AtomicInteger();
    /** Result reports are answered once this opens (count 0: at once). */
    volatile CountDownLatch commits = new CountDownLatch(0);
    volatile Function<RegisterRequest, RegisterResponse> onRegister = r -> null;
    volatile HeartbeatResponse beatAnswer = HeartbeatResponse.newBuilder().setKnown(true).setEpoch(1).build();
    /** Heartbeats get no answer (a stopped leader). */
    volatile boolean beatsUnanswered;
    private final Server server;

    FakeManager() {
        server = GrpcServers.start("fake manager", "127.0.0.1", 0, new CoordinatorGrpc.CoordinatorImplBase() {
            @Override
            public void register(RegisterRequest r, StreamObserver<RegisterResponse> out) {
                registrations.add(r);
                RegisterResponse answer = onRegister.apply(r);
                if (answer == null) {
                    return; // never answers: the caller's deadline runs out
                }
                out.onNext(answer);
                out.onCompleted();
            }

            @Override
            public void heartbeat(HeartbeatRequest r, StreamObserver<HeartbeatResponse> out) {
                beats.incrementAndGet();
                if (beatsUnanswered) {
                    return;
                }
                out.onNext(beatAnswer);
                out.onCompleted();
            }

            @Override
            public void reportResults(ResultBatch r, StreamObserver<ResultAck> out) {
                reports.incrementAndGet();
                try {
                    commits.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.onNext(ResultAck.newBuilder().setAccepted(r.getOutcomesCount()).build());
                out.onCompleted();
            }
        });
    }

    /** Answers registrations as the leader of {@code epoch}. */
    FakeManager leads(long epoch) {
        onRegister = r -> RegisterResponse.newBuilder().setLeader(true).setEpoch(epoch).setSelfFenceMs(2_500).build();
        beatAnswer = HeartbeatResponse.newBuilder().setKnown(true).setEpoch(epoch).build();
        return this;
    }

    /** Answers registrations as a standby that reads {@code leader} in the lease row. */
    FakeManager standbyNaming(String leader) {
        onRegister = r -> RegisterResponse.newBuilder().setLeader(false).setLeaderAddress(leader).build();
        return this;
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        commits = new CountDownLatch(0);
        server.shutdownNow();
    }
}

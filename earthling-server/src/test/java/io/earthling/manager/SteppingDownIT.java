package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Two managers on one PostgreSQL database: the standby refuses leader-only calls and names the leader; a leader
 * whose lease was taken stops leading and stops altogether (its process then exits with status 3).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SteppingDownIT {
    private Manager first;
    private Manager second;
    private ManagedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void a_standby_refuses_leader_only_calls_as_unavailable_and_names_the_leader() throws Exception {
        String url = TestManagers.postgres();
        first = Manager.start(TestManagers.manager(TestManagers.freePort(), url));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(first::isLeader);
        second = Manager.start(TestManagers.manager(TestManagers.freePort(), url));
        String leader = "127.0.0.1:" + first.port();
        channel = GrpcServers.channel("127.0.0.1:" + second.port());

        // The standby learns the holder from the lease row on its first try.
        StatusRuntimeException refused = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> submitTo(channel), e -> e != null && e.getStatus().getDescription().contains(leader));
        RegisterResponse register = CoordinatorGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .register(RegisterRequest.newBuilder().setNodeId("127.0.0.9:1").build());

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getStatus().getDescription())
                .isEqualTo("this manager (127.0.0.1:" + second.port() + ") is not the leader; the leader is " + leader);
        assertThat(register.getLeader()).isFalse();
        assertThat(register.getLeaderAddress()).isEqualTo(leader);
        assertThat(second.isLeader()).isFalse();
    }

    @Test
    void a_leader_whose_lease_was_taken_stops_leading_and_then_stops_altogether() throws Exception {
        String url = TestManagers.postgres();
        first = Manager.start(TestManagers.manager(TestManagers.freePort(), url));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(first::isLeader);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                first.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        long taken = System.nanoTime();
        try (Connection db = DriverManager.getConnection(url); Statement s = db.createStatement()) {
            // What a standby's takeover does once the lease expired: a new holder, a new epoch.
            s.executeUpdate("UPDATE manager_lease SET holder = '127.0.0.1:1', epoch = epoch + 1,"
                    + " expires_at = CURRENT_TIMESTAMP + INTERVAL '1 minute' WHERE name = 'leader'");
        }

        // The deadline only catches "never" (a manager that half leads); how long it took is printed, not asserted:
        // on a busy 2-core build machine a teardown can take seconds.
        stopped.get(60, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - taken) / 1_000_000;
        System.out.printf("lease taken -> the old leader stopped: %d ms (renewal every 333 ms)%n", tookMs);
        assertThat(first.lostLeadership()).isTrue();
        assertThat(first.isLeader()).isFalse();
    }

    private static StatusRuntimeException submitTo(ManagedChannel channel) {
        try {
            JobsGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .submit(SubmitRequest.newBuilder().setType("noop").build());
            return null;
        } catch (StatusRuntimeException e) {
            return e;
        }
    }
}

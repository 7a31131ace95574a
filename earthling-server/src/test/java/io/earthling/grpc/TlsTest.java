package io.earthling.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on real ports with certificates of {@link ClusterCa}: who gets in, what the service sees, rotation. */
class TlsTest {
    @TempDir
    Path dir;

    /** Answers a registration with the caller's identity as the service sees it. */
    private static final class Echo extends CoordinatorGrpc.CoordinatorImplBase {
        @Override
        public void register(RegisterRequest r, StreamObserver<RegisterResponse> out) {
            out.onNext(RegisterResponse.newBuilder().setMessage(String.valueOf(PeerIdentity.current())).build());
            out.onCompleted();
        }
    }

    private TlsFiles files(String base, long reloadSeconds) {
        return new TlsFiles(dir.resolve("ca.crt"), dir.resolve(base + ".crt"), dir.resolve(base + ".key"), reloadSeconds);
    }

    private static String register(ManagedChannel ch) {
        try {
            return CoordinatorGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .register(RegisterRequest.getDefaultInstance()).getMessage();
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void a_tls_port_lets_in_the_roles_its_rules_name_and_tells_the_service_who_called() throws Exception {
        ClusterCa ca = ClusterCa.create(dir, "test", Duration.ofDays(1), Clock.systemUTC());
        ca.issue(Identity.manager(), List.of("127.0.0.1"), Duration.ofDays(1), dir, "manager");
        ca.issue(Identity.assistant("127.0.0.1:7"), List.of("127.0.0.1"), Duration.ofDays(1), dir, "assistant");
        ca.issue(Identity.client("alice"), List.of(), Duration.ofDays(1), dir, "client");
        assertThat(Files.getPosixFilePermissions(dir.resolve("assistant.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        try (Tls server = Tls.open(files("manager", 60)); Tls assistant = Tls.open(files("assistant", 60));
             Tls client = Tls.open(files("client", 60))) {
            assertThat(server.self()).isEqualTo(Identity.manager());
            Server s = GrpcServers.start("rpc.test", "127.0.0.1", 0, server, CallerRules.manager(), new Echo());
            String target = "127.0.0.1:" + s.getPort();
            try {
                assertThat(register(GrpcServers.channel(target, assistant, Identity.manager())))
                        .isEqualTo("earthling:assistant:127.0.0.1:7");
                assertThatThrownBy(() -> register(GrpcServers.channel(target, client, Identity.manager())))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.PERMISSION_DENIED));
                assertThatThrownBy(() -> register(GrpcServers.channel(target)))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE));
                // TLS without a client certificate: through the handshake, refused on the first call.
                assertThatThrownBy(() -> register(io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget(target,
                        io.grpc.TlsChannelCredentials.newBuilder().trustManager(dir.resolve("ca.crt").toFile()).build())
                        .build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus()
                        .getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
                // A caller that dials the manager but reaches a server of another role does not talk to it.
                assertThatThrownBy(() -> register(GrpcServers.channel(target, assistant, Identity.assistant("127.0.0.1:7"))))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                GrpcServers.stop(s);
            }
        }
    }

    @Test
    void a_rotated_certificate_is_used_for_new_connections_without_a_restart() throws Exception {
        ClusterCa ca = ClusterCa.create(dir, "test", Duration.ofDays(1), Clock.systemUTC());
        ca.issue(Identity.manager(), List.of("127.0.0.1"), Duration.ofDays(1), dir, "manager");
        ca.issue(Identity.assistant("127.0.0.1:7"), List.of("127.0.0.1"), Duration.ofDays(1), dir, "assistant");
        Path next = Files.createDirectories(dir.resolve("next"));
        ClusterCa other = ClusterCa.create(next, "next", Duration.ofDays(1), Clock.systemUTC());
        other.issue(Identity.assistant("127.0.0.1:7"), List.of("127.0.0.1"), Duration.ofDays(1), next, "assistant");

        try (Tls server = Tls.open(files("manager", 1)); Tls old = Tls.open(files("assistant", 60));
             Tls fresh = Tls.open(new TlsFiles(next.resolve("ca.crt"), next.resolve("assistant.crt"),
                     next.resolve("assistant.key"), 60))) {
            Server s = GrpcServers.start("rpc.test", "127.0.0.1", 0, server, CallerRules.manager(), new Echo());
            String target = "127.0.0.1:" + s.getPort();
            try {
                assertThat(register(GrpcServers.channel(target, old, Identity.manager()))).contains("assistant");
                // The server's CA and certificate are replaced by the next CA's, as an operator rotates them.
                other.issue(Identity.manager(), List.of("127.0.0.1"), Duration.ofDays(1), dir, "manager");
                Files.copy(next.resolve("ca.crt"), dir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> register(GrpcServers.channel(target, fresh, Identity.manager())).contains("assistant"));
                assertThatThrownBy(() -> register(GrpcServers.channel(target, old, Identity.manager())))
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                GrpcServers.stop(s);
            }
        }
    }
}

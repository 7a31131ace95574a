package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.earthling.assistant.Assistant;
import io.earthling.assistant.AssistantSettings;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.EarthlingGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The seed's own Python client, with stubs generated from the project's EarthlingProtocol.proto, reads an
 * assistant's idle count, and the count drops while a worker is busy. Needs Debian's python3-grpcio and
 * python3-grpc-tools (.ci/run installs them; under CI=true their absence fails the test).
 */
class SeedPythonClientIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SNIPPET = String.join("\n",
            "import sys, grpc",
            "sys.path.insert(0, sys.argv[1])",
            "import EarthlingProtocol_pb2, EarthlingProtocol_pb2_grpc",
            "channel = grpc.insecure_channel(sys.argv[2])",
            "print(EarthlingProtocol_pb2_grpc.EarthlingStub(channel).ReportIdleWorker(EarthlingProtocol_pb2.ReportRequest()).idleCount)",
            "");

    @Test
    void the_seeds_python_snippet_reads_the_idle_count_and_sees_it_drop_while_a_worker_is_busy() throws Exception {
        requirePythonGrpc();
        Path dir = Files.createDirectories(Path.of("target", "it-logs", "python").toAbsolutePath());
        run(PYTHON, "-m", "grpc_tools.protoc", "-I", Path.of("..", "earthling-protocol", "src", "main", "proto")
                .toAbsolutePath().normalize().toString(), "--python_out=" + dir, "--grpc_python_out=" + dir,
                "EarthlingProtocol.proto");
        Path script = Files.writeString(dir.resolve("snippet.py"), SNIPPET);
        int port = Cluster.freePort();
        String target = "127.0.0.5:" + port;
        AssistantSettings s = new AssistantSettings("127.0.0.5", port, List.of(), 3,
                List.of("127.0.0.1:" + Cluster.freePort()), 1000, List.of(), List.of(), null, 1);
        try (Assistant a = Assistant.start(s)) {
            assertThat(run(PYTHON, script.toString(), dir.toString(), target)).isEqualTo("3");
            busyOneWorker(target);
            assertThat(run(PYTHON, script.toString(), dir.toString(), target)).isEqualTo("2");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> run(PYTHON, script.toString(), dir.toString(), target).equals("3"));
        }
    }

    private static void busyOneWorker(String target) {
        ManagedChannel ch = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            EarthlingGrpc.newBlockingStub(ch).deliver(DeliverRequest.newBuilder().setEpoch(1).addJobs(Delivery.newBuilder()
                    .setJobId(1).setType("sleep").setAttempt(1).setPayload(ByteString.copyFromUtf8("{\"ms\": 3000}"))).build());
        } finally {
            ch.shutdownNow();
        }
    }

    private static void requirePythonGrpc() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import grpc, grpc_tools").start().waitFor() == 0;
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI needs python3-grpcio and python3-grpc-tools (apt-get install); .ci/run installs them");
        }
        Assumptions.assumeTrue(present, "python3-grpcio / python3-grpc-tools not installed: skipping the Python client check");
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", List.of(cmd), out).isZero();
        return out;
    }
}

package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.earthling.api.ClientTls;
import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.NodeView;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.EarthlingGrpc;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.NodesRequest;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.ResultBatch;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue #16 items 1, 2 and 4 as a stranger tries them: a cluster secured with {@code earthling certs} (a manager on
 * 127.0.0.1, assistants on 127.0.0.2 and 127.0.0.3, each its own OS process and certificate) refuses a fake
 * assistant, a node hijack, forged results, a stranger's Deliver and a forged epoch, and a client without a
 * certificate; with the right certificates submit, run and wait work, from the CLI, the Java client and Python. A
 * client certificate may do what {@code security.clients} grants its name (item 3, for certificates).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsClusterIT {
    private Cluster cluster;
    private Path certs;
    private Path config;
    private final int managerPort = Cluster.freePort();
    private final int assistantPort = Cluster.freePort();
    private final List<Integer> workerPorts = IntStream.range(0, 2).mapToObj(i -> Cluster.freePort()).toList();
    private EarthlingClient client;

    private static final String NODE_2 = "127.0.0.2";
    private static final String NODE_3 = "127.0.0.3";

    @BeforeAll
    void startASecuredCluster() throws IOException {
        cluster = new Cluster("tls-cluster");
        certs = cluster.dir().resolve("certs");
        deleteTree(certs);
        // The three commands of docs/operations.md, plus one per further node and a client.
        certs("ca");
        certs("manager", "--host", "127.0.0.1");
        certs("assistant", "--node", node(NODE_2));
        certs("assistant", "--node", node(NODE_3));
        certs("client", "--name", "alice");
        certs("client", "--name", "viewer");
        certs("client", "--name", "nobody");
        // A stranger's own CA, with a certificate that claims node 2.
        cluster.cli("certs", "ca", "--dir", certs.resolve("stranger").toString());
        cluster.cli("certs", "assistant", "--node", node(NODE_2), "--dir", certs.resolve("stranger").toString());
        cluster.cli("certs", "manager", "--dir", certs.resolve("stranger").toString());

        String workers = workerPorts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String url = "jdbc:h2:file:" + cluster.dir().resolve("db-" + System.nanoTime());
        config = cluster.write("earthling.yaml", "rpc:\n  manager: { address: '127.0.0.1', port: " + managerPort + " }\n"
                + "  assistant:\n"
                + "    - { address: '" + NODE_2 + "', port: " + assistantPort + ", workers: [" + workers + "] }\n"
                + "    - { address: '" + NODE_3 + "', port: " + assistantPort + ", workers: [" + workers + "] }\n"
                + "store: { url: \"" + url + "\" }\n"
                + "tls: { ca: '" + certs.resolve("ca.crt") + "', cert: '" + certs.resolve("manager.crt") + "', key: '"
                + certs.resolve("manager.key") + "' }\n"
                + "security: { clients: { alice: [admin], viewer: [read] } }\n");
        cluster.start("manager", "manager", "--config", config.toString());
        for (String address : List.of(NODE_2, NODE_3)) {
            cluster.startIn("assistant-" + address, assistantTls(address), "assistant", "--config", config.toString(),
                    "--address", address, "--port", String.valueOf(assistantPort));
        }
        client = EarthlingClient.connect("127.0.0.1", managerPort, new ClientTls(certs.resolve("ca.crt"),
                certs.resolve("client-alice.crt"), certs.resolve("client-alice.key")));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> online().size() == 2 && online().stream().allMatch(n -> n.workers() == 2));
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private String node(String address) {
        return address + ":" + assistantPort;
    }

    private Map<String, String> assistantTls(String address) {
        String base = "assistant-" + address + "_" + assistantPort;
        return Map.of("EARTHLING_TLS_CERT", certs.resolve(base + ".crt").toString(),
                "EARTHLING_TLS_KEY", certs.resolve(base + ".key").toString());
    }

    private Map<String, String> clientTls() {
        return Map.of("EARTHLING_TLS_CERT", certs.resolve("client-alice.crt").toString(),
                "EARTHLING_TLS_KEY", certs.resolve("client-alice.key").toString());
    }

    private void certs(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "certs";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--dir";
        all[args.length + 2] = certs.toString();
        cluster.cli(all);
    }

    private List<NodeView> online() {
        return client.nodes().stream().filter(n -> n.status().equals("ONLINE")).toList();
    }

    // -- channels a stranger (or a role) opens with plain stubs

    private ChannelCredentials with(Path ca, String base) {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(certs.resolve("ca.crt").toFile())
                    .keyManager(ca.resolve(base + ".crt").toFile(), ca.resolve(base + ".key").toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ChannelCredentials as(String base) {
        return with(certs, base);
    }

    private ChannelCredentials noCertificate() {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(certs.resolve("ca.crt").toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T call(String target, ChannelCredentials creds, Function<ManagedChannel, T> call) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(target, creds).build();
        try {
            return call.apply(ch);
        } finally {
            ch.shutdownNow();
        }
    }

    private static void refused(Status.Code code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(e.getMessage()).isEqualTo(code));
    }

    private String manager() {
        return "127.0.0.1:" + managerPort;
    }

    private RegisterRequest registration(String nodeId, String address) {
        return RegisterRequest.newBuilder().setNodeId(nodeId).setAddress(address).setPort(assistantPort)
                .setWorkerCount(50).setIdleCount(50).addTypes("echo").addTypes("sleep").build();
    }

    private Object register(String target, ChannelCredentials creds, RegisterRequest r) {
        return call(target, creds, ch -> CoordinatorGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .register(r));
    }

    // -- the tests

    @Test
    void with_the_right_certificates_submit_run_and_wait_work_from_the_cli_and_the_java_client() {
        Cluster.Run run = cluster.run(clientTls(), "submit", "echo", "--payload", "{\"n\": 1}", "--count", "40", "--wait",
                "--config", config.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("final: {SUCCEEDED=40}");

        List<Long> ids = client.submitAll(IntStream.range(0, 20).mapToObj(i -> JobSpec.of("echo", "{\"i\": " + i + "}")).toList());
        List<JobView> done = client.await(ids, Duration.ofSeconds(60));
        assertThat(done).hasSize(20).allMatch(j -> j.state() == JobState.SUCCEEDED);
    }

    @Test
    void a_client_without_a_certificate_or_with_another_roles_is_refused() {
        try (EarthlingClient plaintext = EarthlingClient.connect("127.0.0.1", managerPort)) {
            assertThatThrownBy(plaintext::nodes).isInstanceOf(EarthlingException.class);
        }
        Cluster.Run cli = cluster.run(Map.of(), "nodes", "--manager", manager());
        assertThat(cli.exit()).isNotZero();
        assertThat(cli.err()).contains("a manager with TLS needs a client certificate (tls.ca, tls.cert, tls.key");
        refused(Status.Code.UNAUTHENTICATED, () -> call(manager(), noCertificate(),
                ch -> JobsGrpc.newBlockingStub(ch).nodes(NodesRequest.getDefaultInstance())));
        refused(Status.Code.PERMISSION_DENIED, () -> call(manager(), as("assistant-" + NODE_2 + "_" + assistantPort),
                ch -> JobsGrpc.newBlockingStub(ch).nodes(NodesRequest.getDefaultInstance())));
        int nodes = call(manager(), as("client-alice"), ch -> JobsGrpc.newBlockingStub(ch)
                .nodes(NodesRequest.getDefaultInstance()).getNodesCount());
        assertThat(nodes).isEqualTo(2);
    }

    @Test
    void a_client_certificate_may_do_what_its_roles_allow_and_a_refusal_names_the_role() {
        Map<String, String> viewer = Map.of("EARTHLING_TLS_CERT", certs.resolve("client-viewer.crt").toString(),
                "EARTHLING_TLS_KEY", certs.resolve("client-viewer.key").toString());
        Cluster.Run nodes = cluster.run(viewer, "nodes", "--config", config.toString());
        assertThat(nodes.exit()).as(nodes.err()).isZero();
        assertThat(nodes.out()).contains(node(NODE_2), node(NODE_3));

        Cluster.Run submit = cluster.run(viewer, "submit", "echo", "--config", config.toString());
        assertThat(submit.exit()).isNotZero();
        assertThat(submit.err()).contains("refused (PERMISSION_DENIED): earthling:client:viewer may not call"
                + " earthling.jobs.Jobs/SubmitBatch: it needs the role submit (has read)");
        refused(Status.Code.PERMISSION_DENIED, () -> call(manager(), as("client-nobody"),
                ch -> JobsGrpc.newBlockingStub(ch).nodes(NodesRequest.getDefaultInstance())));
        assertThat(cluster.log("manager")).contains("Refused earthling.jobs.Jobs/SubmitBatch from earthling:client:viewer");
    }

    @Test
    void an_admin_creates_a_token_that_works_without_a_certificate_until_it_is_revoked() {
        Cluster.Run create = cluster.run(clientTls(), "tokens", "create", "--name", "ci-cli", "--roles", "submit,read",
                "--config", config.toString());
        assertThat(create.exit()).as(create.err()).isZero();
        String token = create.out().trim();
        assertThat(token).matches("et_[A-Za-z0-9_-]{43}");
        assertThat(create.err()).contains("this is the only time it is shown");
        Cluster.Run list = cluster.run(clientTls(), "tokens", "list", "--config", config.toString());
        assertThat(list.out()).contains("ci-cli", "read,submit").doesNotContain(token);

        String ca = certs.resolve("ca.crt").toString();
        Cluster.Run submit = cluster.run(Map.of("EARTHLING_TOKEN", token), "submit", "echo", "--count", "5", "--wait",
                "--manager", manager(), "--ca", ca);
        assertThat(submit.exit()).as(submit.err()).isZero();
        assertThat(submit.out()).contains("final: {SUCCEEDED=5}");
        Cluster.Run drain = cluster.run(Map.of(), "drain", node(NODE_2), "--manager", manager(), "--ca", ca,
                "--token", token);
        assertThat(drain.exit()).isNotZero();
        assertThat(drain.err()).contains("refused (PERMISSION_DENIED): earthling:token:ci-cli may not call"
                + " earthling.jobs.Jobs/Drain: it needs the role operate (has read, submit)");
        assertThat(online()).hasSize(2);

        Cluster.Run revoke = cluster.run(clientTls(), "tokens", "revoke", "ci-cli", "--config", config.toString());
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        Cluster.Run after = cluster.run(Map.of(), "nodes", "--manager", manager(), "--ca", ca, "--token", token);
        assertThat(after.exit()).isNotZero();
        assertThat(after.err()).contains("refused (UNAUTHENTICATED): token refused: token ci-cli was revoked at");
        assertThat(cluster.log("manager")).contains("Refused earthling.jobs.Jobs/Drain from earthling:token:ci-cli");
    }

    @Test
    void a_fake_assistant_without_or_with_the_wrong_certificate_cannot_register() {
        refused(Status.Code.UNAVAILABLE, () -> register(manager(), InsecureChannelCredentials.create(),
                registration("127.0.0.9:1", "127.0.0.9")));
        refused(Status.Code.UNAUTHENTICATED, () -> register(manager(), noCertificate(),
                registration("127.0.0.9:1", "127.0.0.9")));
        refused(Status.Code.UNAVAILABLE, () -> register(manager(),
                with(certs.resolve("stranger"), "assistant-" + NODE_2 + "_" + assistantPort),
                registration(node(NODE_2), NODE_2)));
        refused(Status.Code.PERMISSION_DENIED, () -> register(manager(), as("client-alice"),
                registration("127.0.0.9:1", "127.0.0.9")));
        assertThat(client.nodes()).extracting(NodeView::id).containsExactlyInAnyOrder(node(NODE_2), node(NODE_3));
    }

    @Test
    void a_node_certificate_cannot_register_or_beat_for_another_node() {
        String node2 = "assistant-" + NODE_2 + "_" + assistantPort;
        refused(Status.Code.PERMISSION_DENIED, () -> register(manager(), as(node2), registration(node(NODE_3), NODE_2)));
        refused(Status.Code.PERMISSION_DENIED, () -> call(manager(), as(node2), ch -> CoordinatorGrpc.newBlockingStub(ch)
                .heartbeat(HeartbeatRequest.newBuilder().setNodeId(node(NODE_3)).setIdleCount(50).build())));
        assertThat(online()).extracting(NodeView::id).containsExactlyInAnyOrder(node(NODE_2), node(NODE_3));
        assertThat(online()).allMatch(n -> n.workers() == 2);
    }

    @Test
    void results_forged_with_another_nodes_certificate_are_refused_and_the_job_keeps_its_own() {
        long id = client.submit(JobSpec.of("sleep", "{\"ms\": 3000}"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.get(id).orElseThrow().state() == JobState.RUNNING);
        JobView running = client.get(id).orElseThrow();
        String victim = running.node();
        String other = victim.equals(node(NODE_2)) ? NODE_3 : NODE_2;
        ResultBatch forged = ResultBatch.newBuilder().setNodeId(victim).addOutcomes(JobOutcome.newBuilder().setJobId(id)
                .setAttempt(running.attempts()).setStatus(JobOutcome.Status.SUCCEEDED)
                .setResult(ByteString.copyFromUtf8("{\"forged\": true}")).setLog("planted")).build();
        refused(Status.Code.PERMISSION_DENIED, () -> call(manager(), as("assistant-" + other + "_" + assistantPort),
                ch -> CoordinatorGrpc.newBlockingStub(ch).reportResults(forged)));
        JobView done = client.await(List.of(id), Duration.ofSeconds(30)).get(0);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result()).contains("sleptMs").doesNotContain("forged");
    }

    @Test
    void an_assistant_refuses_deliveries_and_epochs_from_anyone_but_a_manager() {
        String target = node(NODE_2);
        DeliverRequest deliver = DeliverRequest.newBuilder().setEpoch(1L << 62).addJobs(Delivery.newBuilder().setJobId(999_999)
                .setType("echo").setAttempt(1).setPayload(ByteString.copyFromUtf8("{}"))).build();
        Function<ManagedChannel, Object> send = ch -> EarthlingGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .deliver(deliver);
        refused(Status.Code.UNAVAILABLE, () -> call(target, InsecureChannelCredentials.create(), send));
        refused(Status.Code.UNAUTHENTICATED, () -> call(target, noCertificate(), send));
        refused(Status.Code.UNAVAILABLE, () -> call(target, with(certs.resolve("stranger"), "manager"), send));
        refused(Status.Code.PERMISSION_DENIED, () -> call(target, as("client-alice"), send));
        refused(Status.Code.PERMISSION_DENIED, () -> call(target, as("assistant-" + NODE_3 + "_" + assistantPort), send));

        // The forged epoch was never seen: the real leader still delivers to both nodes.
        List<Long> ids = client.submitAll(IntStream.range(0, 40).mapToObj(i -> JobSpec.of("sleep", "{\"ms\": 100}")).toList());
        List<JobView> done = client.await(ids, Duration.ofSeconds(60));
        assertThat(done).hasSize(40).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(done.stream().map(JobView::node).distinct()).containsExactlyInAnyOrder(node(NODE_2), node(NODE_3));
    }

    @Test
    void a_role_with_a_certificate_for_another_identity_does_not_start() {
        Cluster.Run run = cluster.run(assistantTls(NODE_2), "assistant", "--config", config.toString(), "--manager",
                manager(), "--address", "127.0.0.4", "--workers", "1");
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("needs the certificate earthling:assistant:127.0.0.4:",
                "this one is earthling:assistant:" + node(NODE_2));
    }

    @Test
    void beyond_loopback_a_manager_without_tls_refuses_to_start_naming_the_keys() {
        Path plain = cluster.write("plain.yaml", "rpc:\n  manager: { address: '0.0.0.0', port: " + Cluster.freePort()
                + " }\nstore: { url: \"jdbc:h2:mem:plain\" }\n");
        Cluster.Run run = cluster.run(Map.of(), "manager", "--config", plain.toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("rpc.manager: 0.0.0.0 is reachable beyond this host and TLS is off: set tls.ca,"
                + " tls.cert and tls.key", "--insecure");
    }

    @Test
    void the_seeds_python_snippet_reads_an_assistants_idle_count_with_a_client_certificate() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import grpc, grpc_tools").start().waitFor() == 0,
                "python3-grpcio / python3-grpc-tools not installed");
        Path dir = Files.createDirectories(cluster.dir().resolve("python"));
        python(python, "-m", "grpc_tools.protoc", "-I", Path.of("..", "earthling-protocol", "src", "main", "proto")
                .toAbsolutePath().normalize().toString(), "--python_out=" + dir, "--grpc_python_out=" + dir,
                "EarthlingProtocol.proto");
        // docs/operations.md, "Securing a cluster": the seed's snippet with a client certificate.
        Path script = Files.writeString(dir.resolve("snippet_tls.py"), String.join("\n",
                "import sys, grpc",
                "sys.path.insert(0, sys.argv[1])",
                "import EarthlingProtocol_pb2, EarthlingProtocol_pb2_grpc",
                "certs = sys.argv[3]",
                "read = lambda name: open(certs + '/' + name, 'rb').read()",
                "creds = grpc.ssl_channel_credentials(root_certificates=read('ca.crt'),",
                "    private_key=read('client-alice.key'), certificate_chain=read('client-alice.crt'))",
                "channel = grpc.secure_channel(sys.argv[2], creds)",
                "print(EarthlingProtocol_pb2_grpc.EarthlingStub(channel).ReportIdleWorker(EarthlingProtocol_pb2.ReportRequest()).totalCount)",
                ""));
        assertThat(python(python, script.toString(), dir.toString(), node(NODE_2), certs.toString())).isEqualTo("2");
        Path plain = Files.writeString(dir.resolve("snippet.py"), String.join("\n",
                "import sys, grpc",
                "sys.path.insert(0, sys.argv[1])",
                "import EarthlingProtocol_pb2, EarthlingProtocol_pb2_grpc",
                "channel = grpc.insecure_channel(sys.argv[2])",
                "try:",
                "    EarthlingProtocol_pb2_grpc.EarthlingStub(channel).ReportIdleWorker(EarthlingProtocol_pb2.ReportRequest(), timeout=10)",
                "    print('answered')",
                "except grpc.RpcError as e:",
                "    print(e.code().name)",
                ""));
        assertThat(python(python, plain.toString(), dir.toString(), node(NODE_2))).isEqualTo("UNAVAILABLE");
    }

    private static String python(Path python, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(python.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", cmd, out).isZero();
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

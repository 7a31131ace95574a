package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.ClientTls;
import io.earthling.api.EarthlingClient;
import io.earthling.api.NodeView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * The seed's layout: one manager on 127.0.0.1 and assistants on 127.0.0.2, 127.0.0.3, ... that all use the
 * same worker ports, each role its own OS process.
 */
final class SeedCluster implements AutoCloseable {
    final Cluster cluster;
    final Path config;
    final int managerPort = Cluster.freePort();
    final int assistantPort = Cluster.freePort();
    final int assistants;
    final int workersEach;
    private final List<Integer> workerPorts;
    /** Where {@code earthling certs} put the cluster's certificates; null for a plaintext cluster. */
    private final Path certs;
    private EarthlingClient client;

    SeedCluster(String testName, String storeUrl, int assistants, int workersEach) {
        this(testName, storeUrl, assistants, workersEach, "");
    }

    /** {@code extraYaml}: more top-level sections, e.g. {@code "timing: { heartbeatMs: 500 }\n"}. */
    SeedCluster(String testName, String storeUrl, int assistants, int workersEach, String extraYaml) {
        this(testName, storeUrl, assistants, workersEach, extraYaml, false);
    }

    /**
     * A cluster secured as docs/operations.md says: {@code earthling certs} makes a CA, the manager's certificate,
     * one per assistant and one for the client {@code alice}; every role and every client command uses its own.
     */
    static SeedCluster secured(String testName, String storeUrl, int assistants, int workersEach) {
        return new SeedCluster(testName, storeUrl, assistants, workersEach, "", true);
    }

    private SeedCluster(String testName, String storeUrl, int assistants, int workersEach, String extraYaml,
                        boolean tls) {
        this.cluster = new Cluster(testName);
        this.certs = tls ? cluster.dir().resolve("certs-" + System.nanoTime()) : null;
        if (tls) {
            certs("ca");
            certs("manager", "--host", "127.0.0.1");
            for (int i = 0; i < assistants; i++) {
                certs("assistant", "--node", address(i) + ":" + assistantPort);
            }
            certs("client", "--name", "alice");
            extraYaml = extraYaml + "tls: { ca: '" + certs.resolve("ca.crt") + "', cert: '" + certs.resolve("manager.crt")
                    + "', key: '" + certs.resolve("manager.key") + "' }\n";
        }
        this.assistants = assistants;
        this.workersEach = workersEach;
        this.workerPorts = IntStream.range(0, workersEach).mapToObj(i -> Cluster.freePort()).toList();
        String workers = workerPorts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        StringBuilder yaml = new StringBuilder("rpc:\n  manager: { address: '127.0.0.1', port: " + managerPort + " }\n  assistant:\n");
        for (int i = 0; i < assistants; i++) {
            yaml.append("    - { address: '").append(address(i)).append("', port: ").append(assistantPort)
                    .append(", workers: [").append(workers).append("] }\n");
        }
        yaml.append("store: { url: \"").append(storeUrl).append("\" }\n").append(extraYaml);
        this.config = cluster.write("earthling.yaml", yaml.toString());
    }

    static String address(int i) {
        return "127.0.0." + (i + 2);
    }

    SeedCluster startManager() {
        cluster.start("manager", "manager", "--config", config.toString());
        return this;
    }

    SeedCluster startManager(List<String> jvmOptions) {
        cluster.start("manager", jvmOptions, "manager", "--config", config.toString());
        return this;
    }

    SeedCluster startAssistants() {
        for (int i = 0; i < assistants; i++) {
            startAssistant(i);
        }
        return this;
    }

    /** Assistant {@code i} (0-based) runs as process "assistant-(i+2)" on 127.0.0.(i+2). */
    Process startAssistant(int i) {
        String[] args = {"assistant", "--config", config.toString(), "--address", address(i), "--port",
                String.valueOf(assistantPort)};
        if (certs == null) {
            return cluster.start("assistant-" + (i + 2), args);
        }
        String base = "assistant-" + address(i) + "_" + assistantPort;
        return cluster.startIn("assistant-" + (i + 2), Map.of("EARTHLING_TLS_CERT", certs.resolve(base + ".crt").toString(),
                "EARTHLING_TLS_KEY", certs.resolve(base + ".key").toString()), args);
    }

    private void certs(String... args) {
        List<String> all = new ArrayList<>(List.of("certs"));
        all.addAll(List.of(args));
        all.addAll(List.of("--dir", certs.toString()));
        cluster.cli(all.toArray(String[]::new));
    }

    List<Integer> workerPorts() {
        return workerPorts;
    }

    /** Waits until the leader sees {@code n} online nodes with all their workers. */
    SeedCluster awaitNodes(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> online().size() == n
                        && online().stream().allMatch(v -> v.workers() == workersEach));
        return this;
    }

    List<NodeView> online() {
        return client().nodes().stream().filter(v -> v.status().equals("ONLINE")).toList();
    }

    EarthlingClient client() {
        if (client == null) {
            client = certs == null ? EarthlingClient.connect("127.0.0.1", managerPort)
                    : EarthlingClient.connect("127.0.0.1", managerPort, new ClientTls(certs.resolve("ca.crt"),
                            certs.resolve("client-alice.crt"), certs.resolve("client-alice.key")));
        }
        return client;
    }

    String cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        if (certs == null) {
            return cluster.cli(all);
        }
        Cluster.Run run = cluster.run(Map.of("EARTHLING_TLS_CERT", certs.resolve("client-alice.crt").toString(),
                "EARTHLING_TLS_KEY", certs.resolve("client-alice.key").toString()), all);
        assertThat(run.exit()).as("exit code of earthling %s; output:%n%s%s", String.join(" ", args), run.out(),
                run.err()).isZero();
        return run.out();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        cluster.close();
    }
}

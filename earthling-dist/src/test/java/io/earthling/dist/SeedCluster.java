package io.earthling.dist;

import io.earthling.api.EarthlingClient;
import io.earthling.api.NodeView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    private EarthlingClient client;

    SeedCluster(String testName, String storeUrl, int assistants, int workersEach) {
        this(testName, storeUrl, assistants, workersEach, "");
    }

    /** {@code extraYaml}: more top-level sections, e.g. {@code "timing: { heartbeatMs: 500 }\n"}. */
    SeedCluster(String testName, String storeUrl, int assistants, int workersEach, String extraYaml) {
        this.cluster = new Cluster(testName);
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
        return cluster.start("assistant-" + (i + 2), "assistant", "--config", config.toString(),
                "--address", address(i), "--port", String.valueOf(assistantPort));
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
            client = EarthlingClient.connect("127.0.0.1", managerPort);
        }
        return client;
    }

    String cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return cluster.cli(all);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        cluster.close();
    }
}

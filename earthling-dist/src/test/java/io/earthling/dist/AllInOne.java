package io.earthling.dist;

import io.earthling.api.EarthlingClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * {@code earthling run --threads}, the cluster a newcomer starts first (manager, one assistant with 3 thread
 * workers, H2), on free ports with its own database file. Client commands find it through
 * {@code EARTHLING_RPC_MANAGER_PORT} ({@link #env}), as if it listened on the default port.
 */
final class AllInOne implements AutoCloseable {
    final Cluster cluster;
    final int managerPort = Cluster.freePort();
    final int httpPort = Cluster.freePort();
    final Path config;
    final Map<String, String> env;
    private EarthlingClient client;

    AllInOne(String testName) {
        this.cluster = new Cluster(testName);
        this.config = cluster.write("all-in-one.yaml", "rpc:\n  manager: { address: 127.0.0.1, port: " + managerPort + " }\n"
                + "  assistant:\n    - { address: 127.0.0.1, port: " + Cluster.freePort() + ", workers: [" + Cluster.freePort()
                + ", " + Cluster.freePort() + ", " + Cluster.freePort() + "] }\n"
                + "http: { port: " + httpPort + " }\n"
                + "store: { url: \"jdbc:h2:file:" + cluster.dir().resolve("db-" + System.nanoTime()) + "\" }\n");
        this.env = Map.of("EARTHLING_RPC_MANAGER_PORT", String.valueOf(managerPort));
    }

    /** Starts {@code earthling run} and waits until its assistant is online. */
    AllInOne start() {
        cluster.startIn("run", env, "run", "--config", config.toString(), "--threads");
        awaitOnlineNodes(1);
        return this;
    }

    void awaitOnlineNodes(long n) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> client().nodes().stream().filter(v -> v.status().equals("ONLINE")).count() == n);
    }

    EarthlingClient client() {
        if (client == null) {
            client = EarthlingClient.connect("127.0.0.1", managerPort);
        }
        return client;
    }

    /** {@code earthling ARGS...} run to its end in the cluster's folder. */
    Cluster.Run cli(String... args) {
        return cluster.run(env, args);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        cluster.close();
    }
}

package io.earthling.bench;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Earthling as shipped: {@code earthling run --config F} in its own OS process (manager + one assistant), its
 * worker processes as that assistant's children, the PostgreSQL store. Jobs go in through the Java client.
 */
final class EarthlingContender implements Contender {
    private Process process;
    private EarthlingClient client;
    private BenchEnv env;
    private BenchJob job;
    private final int prefetch;
    private final boolean loopback;

    @Override
    public String name() {
        return (prefetch == 1 ? "Earthling" : "Earthling (prefetch " + prefetch + ")") + (loopback ? ", loopback" : "");
    }

    /**
     * {@code prefetch}: the {@code worker.prefetch} setting; 1 is the default. {@code loopback}: the manager and the
     * assistant call each other over loopback gRPC as if they ran in two processes (for comparison).
     */
    EarthlingContender(int prefetch, boolean loopback) {
        this.prefetch = prefetch;
        this.loopback = loopback;
    }

    @Override
    public void start(BenchEnv env, int workers, BenchJob job) throws Exception {
        this.env = env;
        this.job = job;
        // The OS may hand out a port it just handed out: collect distinct ones.
        java.util.Set<Integer> distinct = new java.util.LinkedHashSet<>();
        while (distinct.size() < workers + 2) {
            distinct.add(freePort());
        }
        java.util.Iterator<Integer> free = distinct.iterator();
        int managerPort = free.next();
        int assistantPort = free.next();
        StringJoiner ports = new StringJoiner(", ");
        while (free.hasNext()) {
            ports.add(String.valueOf(free.next()));
        }
        Path config = env.scratch().resolve("earthling.yaml");
        Files.writeString(config, "rpc:\n"
                + "  manager: { address: 127.0.0.1, port: " + managerPort + " }\n"
                + "  assistant:\n"
                + "    - { address: 127.0.0.1, port: " + assistantPort + ", workers: [" + ports + "] }\n"
                + "store: { url: \"" + env.jdbcUrl() + "\", pool: 4 }\n"
                + "worker: { prefetch: " + prefetch + " }\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dearthling.grpc.shortCircuit=" + !loopback,
                "-cp", System.getProperty("java.class.path"), "io.earthling.cli.Main", "run", "--config", config.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(env.scratch().resolve("earthling.log").toFile()).start();
        client = EarthlingClient.connect("127.0.0.1", managerPort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (idle() < workers) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Earthling did not start; see " + env.scratch().resolve("earthling.log"));
            }
            Thread.sleep(100);
        }
    }

    private int idle() {
        try {
            return client.nodes().stream().mapToInt(n -> n.idle()).sum();
        } catch (io.earthling.api.EarthlingException e) {
            return 0; // not up yet
        }
    }

    @Override
    public void submit(int fromKey, int toKey) {
        List<JobSpec> specs = new ArrayList<>(toKey - fromKey);
        for (int k = fromKey; k < toKey; k++) {
            specs.add(JobSpec.of("bench", "{\"k\":" + k + ",\"r\":\"" + env.recorderAddress() + "\",\"cpu\":" + job.cpuMs() + "}"));
        }
        client.submitAll(specs);
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

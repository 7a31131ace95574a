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
    /** 0: {@code earthling run}; 1: manager and assistant as two processes, plaintext; 2: the same with mutual TLS. */
    private final int split;
    private Process assistant;
    /** YAML lines appended to the generated config (the soak's retention and HTTP port). */
    private String extraYaml = "";
    /** Options for the manager's and assistant's JVMs; each also logs its collections to {@code <log>-gc.log}. */
    private List<String> jvmOptions = List.of();
    private boolean gcLogs;

    @Override
    public String name() {
        if (split > 0) {
            return "Earthling, manager + assistant processes" + (split == 2 ? ", mutual TLS" : ", plaintext");
        }
        return (prefetch == 1 ? "Earthling" : "Earthling (prefetch " + prefetch + ")") + (loopback ? ", loopback" : "");
    }

    /**
     * The manager and the assistant as two OS processes (as on two hosts: every call crosses gRPC), with mutual TLS
     * on every link and certificates from {@link io.earthling.grpc.ClusterCa} when {@code tls}.
     */
    static EarthlingContender split(boolean tls) {
        return new EarthlingContender(1, true, tls ? 2 : 1);
    }

    /** Manager and assistant as two plaintext processes, with {@code extraYaml} appended to their config. */
    static EarthlingContender split(String extraYaml, List<String> jvmOptions) {
        EarthlingContender c = new EarthlingContender(1, true, 1);
        c.extraYaml = extraYaml;
        c.jvmOptions = List.copyOf(jvmOptions);
        c.gcLogs = true;
        return c;
    }

    /**
     * {@code prefetch}: the {@code worker.prefetch} setting; 1 is the default. {@code loopback}: the manager and the
     * assistant call each other over loopback gRPC as if they ran in two processes (for comparison).
     */
    EarthlingContender(int prefetch, boolean loopback) {
        this(prefetch, loopback, 0);
    }

    private EarthlingContender(int prefetch, boolean loopback, int split) {
        this.prefetch = prefetch;
        this.loopback = loopback;
        this.split = split;
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
                + "worker: { prefetch: " + prefetch + " }\n" + extraYaml);
        if (split == 0) {
            process = start(List.of("run", "--config", config.toString()), java.util.Map.of(), "earthling.log");
            client = EarthlingClient.connect("127.0.0.1", managerPort);
        } else {
            java.util.Map<String, String> managerEnv = java.util.Map.of();
            java.util.Map<String, String> assistantEnv = java.util.Map.of();
            io.earthling.api.ClientTls clientTls = null;
            if (split == 2) {
                Path certs = env.scratch().resolve("certs");
                if (Files.exists(certs.resolve(io.earthling.grpc.ClusterCa.CA_CERT))) {
                    try (var old = Files.list(certs)) {
                        for (Path f : old.toList()) {
                            Files.delete(f);
                        }
                    }
                }
                java.time.Duration day = java.time.Duration.ofDays(1);
                io.earthling.grpc.ClusterCa ca = io.earthling.grpc.ClusterCa.create(certs, "bench", day,
                        java.time.Clock.systemUTC());
                ca.issue(io.earthling.grpc.Identity.manager(), List.of("127.0.0.1"), day, certs, "manager");
                ca.issue(io.earthling.grpc.Identity.assistant("127.0.0.1:" + assistantPort), List.of("127.0.0.1"), day,
                        certs, "assistant");
                ca.issue(io.earthling.grpc.Identity.client("bench"), List.of(), day, certs, "client");
                managerEnv = tlsEnv(certs, "manager");
                assistantEnv = tlsEnv(certs, "assistant");
                clientTls = new io.earthling.api.ClientTls(certs.resolve("ca.crt"), certs.resolve("client.crt"),
                        certs.resolve("client.key"));
            }
            process = start(List.of("manager", "--config", config.toString()), managerEnv, "earthling-manager.log");
            assistant = start(List.of("assistant", "--config", config.toString(), "--address", "127.0.0.1", "--port",
                    String.valueOf(assistantPort)), assistantEnv, "earthling-assistant.log");
            client = EarthlingClient.connect("127.0.0.1", managerPort, clientTls);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (idle() < workers) {
            if (!process.isAlive() || assistant != null && !assistant.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Earthling did not start; see " + env.scratch().resolve("earthling.log"));
            }
            Thread.sleep(100);
        }
    }

    private static java.util.Map<String, String> tlsEnv(Path certs, String base) {
        return java.util.Map.of("EARTHLING_TLS_CA", certs.resolve("ca.crt").toString(),
                "EARTHLING_TLS_CERT", certs.resolve(base + ".crt").toString(),
                "EARTHLING_TLS_KEY", certs.resolve(base + ".key").toString());
    }

    private Process start(List<String> args, java.util.Map<String, String> extraEnv, String log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dearthling.grpc.shortCircuit=" + !loopback));
        cmd.addAll(jvmOptions);
        if (gcLogs) {
            cmd.add("-Xlog:gc:file=" + env.scratch().resolve(log.replace(".log", "-gc.log")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.earthling.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(env.scratch().resolve(log).toFile());
        b.environment().putAll(extraEnv);
        return b.start();
    }

    private int idle() {
        try {
            return client.nodes().stream().mapToInt(n -> n.idle()).sum();
        } catch (io.earthling.api.EarthlingException e) {
            return 0; // not up yet
        }
    }

    /** The started client, for callers that submit their own jobs. */
    EarthlingClient client() {
        return client;
    }

    /** The manager's process ({@code earthling run}'s when not split). */
    ProcessHandle managerProcess() {
        return process.toHandle();
    }

    /** The assistant's process; the manager's when not split. */
    ProcessHandle assistantProcess() {
        return assistant != null ? assistant.toHandle() : process.toHandle();
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
        if (assistant != null) {
            assistant.destroy();
            if (!assistant.waitFor(30, TimeUnit.SECONDS)) {
                assistant.destroyForcibly().waitFor();
            }
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

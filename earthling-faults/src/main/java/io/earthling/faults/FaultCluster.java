package io.earthling.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The layout under test: managers {@code manager-1} and {@code manager-2} on 127.0.0.1 (two ports, one lease),
 * assistants {@code assistant-0..n-1} on 127.0.0.2, 127.0.0.3, ... with the same worker ports each, on one
 * PostgreSQL database. One YAML file for the assistants and the CLI, and one per manager that differs only in its
 * HTTP port and the JDBC {@code ApplicationName} (so the harness can find a manager's sessions in
 * {@code pg_stat_activity}).
 */
final class FaultCluster {
    final int assistants;
    final int workersEach;
    final long leaseTtlMs;
    final List<Integer> managerPorts;
    final int assistantPort;
    final List<Integer> workerPorts;
    final Path config;
    final Path evidenceDir;
    /** The managers' HTTP ports (for {@code /metrics}), one per manager. */
    final List<Integer> httpPorts = new ArrayList<>();
    private final List<Path> managerConfigs = new ArrayList<>();

    FaultCluster(Path dir, Pg db, int assistants, int workersEach, long leaseTtlMs) {
        this(dir, db, 2, assistants, workersEach, leaseTtlMs, db::url, "");
    }

    /**
     * {@code managers} managers whose store URL is {@code managerUrl(name)} (a JDBC URL with its user; the name is the
     * session's {@code ApplicationName}), with {@code extraYaml} appended to every process's configuration.
     */
    FaultCluster(Path dir, Pg db, int managers, int assistants, int workersEach, long leaseTtlMs,
                 java.util.function.Function<String, String> managerUrl, String extraYaml) {
        this.assistants = assistants;
        this.workersEach = workersEach;
        this.leaseTtlMs = leaseTtlMs;
        List<Integer> mp = new ArrayList<>();
        for (int m = 0; m < managers; m++) {
            mp.add(freePort());
        }
        this.managerPorts = List.copyOf(mp);
        this.assistantPort = freePort();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < workersEach; i++) {
            ports.add(freePort());
        }
        this.workerPorts = List.copyOf(ports);
        this.evidenceDir = dir.resolve("evidence");
        Path handlers = dir.resolve("handlers");
        try {
            Files.createDirectories(evidenceDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HandlerJar.write(handlers);
        this.config = write(dir.resolve("cluster.yaml"), yaml(db.url(), freePort(), handlers) + extraYaml);
        for (int m = 0; m < managerPorts.size(); m++) {
            int http = freePort();
            httpPorts.add(http);
            managerConfigs.add(write(dir.resolve(managerName(m) + ".yaml"),
                    yaml(managerUrl.apply(managerName(m)), http, handlers) + extraYaml));
        }
    }

    private String yaml(String storeUrl, int httpPort, Path handlers) {
        String workers = workerPorts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        StringBuilder y = new StringBuilder("rpc:\n  manager:\n");
        for (int port : managerPorts) {
            y.append("    - { address: '127.0.0.1', port: ").append(port).append(" }\n");
        }
        y.append("  assistant:\n");
        for (int i = 0; i < assistants; i++) {
            y.append("    - { address: '").append(assistantAddress(i)).append("', port: ").append(assistantPort)
                    .append(", workers: [").append(workers).append("] }\n");
        }
        y.append("store: { url: \"").append(storeUrl).append("\" }\n");
        y.append("http: { address: '127.0.0.1', port: ").append(httpPort).append(" }\n");
        y.append("timing: { leaseTtlMs: ").append(leaseTtlMs).append(" }\n");
        y.append("worker: { handlersDir: \"").append(handlers).append("\" }\n");
        return y.toString();
    }

    static String managerName(int m) {
        return "manager-" + (m + 1);
    }

    static String assistantName(int i) {
        return "assistant-" + i;
    }

    static String assistantAddress(int i) {
        return "127.0.0." + (i + 2);
    }

    /** The lease holder name of manager {@code m}, as {@code manager_lease.holder} spells it. */
    String holder(int m) {
        return "127.0.0.1:" + managerPorts.get(m);
    }

    /** The manager index of a lease holder name, or -1. */
    int managerOf(String holder) {
        for (int m = 0; m < managerPorts.size(); m++) {
            if (holder(m).equals(holder)) {
                return m;
            }
        }
        return -1;
    }

    void startManager(Processes p, int m) {
        p.start(managerName(m), "manager", "--config", managerConfigs.get(m).toString(), "--address", "127.0.0.1",
                "--port", String.valueOf(managerPorts.get(m)));
    }

    void startAssistant(Processes p, int i) {
        p.start(assistantName(i), "assistant", "--config", config.toString(), "--address", assistantAddress(i),
                "--port", String.valueOf(assistantPort));
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

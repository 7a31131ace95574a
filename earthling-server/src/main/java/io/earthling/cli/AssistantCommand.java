package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.assistant.Assistant;
import io.earthling.config.AssistantEntry;
import io.earthling.config.EarthlingConfig;
import io.earthling.config.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "assistant", mixinStandardHelpOptions = true,
        description = {"Runs one assistant and its worker processes, from the config or joining at run time.",
                "Either the rpc.assistant entry with --address and --port, or, joining at run time, one not in the YAML:",
                "--manager HOST:PORT --workers N (or --worker-ports).",
                "SIGTERM drains it: no new work, running jobs finish, then it leaves."})
final class AssistantCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "the entry's address (joining: default 127.0.0.1)")
    String address;

    @Option(names = "--port", paramLabel = "PORT", description = "the entry's port (joining: default a free port)")
    Integer port;

    @Option(names = "--manager", paramLabel = "HOST:PORT", description = "join this manager (repeat for standbys)")
    List<String> managers = new ArrayList<>();

    @Option(names = "--workers", paramLabel = "N", description = "joining: this many worker processes on free ports")
    Integer workers;

    @Option(names = "--worker-ports", paramLabel = "PORT", split = ",", description = "joining: worker processes on these ports")
    List<Integer> workerPorts;

    @Option(names = "--threads", description = "run the workers as threads instead of processes")
    boolean threads;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", description = "on SIGTERM, wait this many seconds for running jobs (default 60)")
    long drainTimeoutSeconds = 60;

    @Option(names = "--insecure", description = "allow plaintext gRPC beyond loopback (security.insecure: true)")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        EarthlingConfig c = insecure ? config.load().insecure() : config.load();
        AssistantEntry e = managers.isEmpty() ? fromConfig(c) : joining();
        if (!managers.isEmpty()) {
            c = new EarthlingConfig(managers.stream().map(AssistantCommand::endpoint).toList(), List.of(e), c.store(),
                    c.http(), c.queues(), c.timing(), c.limits(), c.worker(), c.placement(), c.schedules(), c.typeMaxAttempts(),
                    c.pipelines(), c.httpAccess(), c.retention(), c.security());
        }
        Assistant a = Roles.startAssistant(c, e, threads ? e.javaWorkers().size() : 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> a.drainAndClose(drainTimeoutSeconds * 1000)));
        a.awaitStop();
        return 0;
    }

    private AssistantEntry fromConfig(EarthlingConfig c) {
        if (address == null || port == null) {
            throw new EarthlingException("assistant: give --address and --port of an rpc.assistant entry, or join with"
                    + " --manager HOST:PORT --workers N");
        }
        return c.assistant(address, port).orElseThrow(() -> new EarthlingException(
                "rpc.assistant: no entry with address " + address + " and port " + port + " in "
                        + (config.file == null ? "the default config" : config.file)));
    }

    private AssistantEntry joining() {
        List<Integer> ports = workerPorts;
        if (ports == null) {
            int n = workers == null ? 3 : workers;
            if (n < 1 || n > 256) {
                throw new EarthlingException("--workers: must be between 1 and 256, got " + n);
            }
            ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ports.add(FreePorts.next());
            }
        }
        return new AssistantEntry(address == null ? "127.0.0.1" : address, port == null ? FreePorts.next() : port, ports);
    }

    private static Endpoint endpoint(String target) {
        int colon = target.lastIndexOf(':');
        try {
            return new Endpoint(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        } catch (RuntimeException ex) {
            throw new EarthlingException("--manager: expected HOST:PORT, got \"" + target + "\"");
        }
    }
}

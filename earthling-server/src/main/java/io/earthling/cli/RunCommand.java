package io.earthling.cli;

import io.earthling.assistant.Assistant;
import io.earthling.config.EarthlingConfig;
import io.earthling.grpc.GrpcServers;
import io.earthling.manager.Manager;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs all roles in one process tree: the manager plus the local assistants of the config.",
                "Without --config: one assistant with 3 workers as threads (embedded mode) and the H2 store."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--threads", description = "run workers as threads of the assistant instead of OS processes"
            + " (the default without --config)")
    Boolean threads;

    @Option(names = "--insecure", description = "allow plaintext gRPC and a tokenless HTTP API beyond loopback"
            + " (security.insecure: true)")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        EarthlingConfig c = insecure ? config.load().insecure() : config.load();
        boolean embedded = threads != null ? threads : config.file == null;
        if (!"false".equals(System.getProperty("earthling.grpc.shortCircuit"))) {
            GrpcServers.shortCircuitLocalCalls(true);
        }
        Manager manager = Roles.startManager(c);
        List<Assistant> assistants = Roles.startLocalAssistants(c, embedded);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            assistants.forEach(Assistant::close);
            manager.close();
        }));
        System.err.println("earthling: running; manager " + c.managers().get(0).target() + ", "
                + assistants.size() + " assistant(s)" + (manager.httpPort() > 0 ? "; dashboard http://" + c.http().address()
                + ":" + manager.httpPort() + "/" : "") + ". Ctrl-C stops.");
        manager.awaitStop();
        return manager.lostLeadership() ? 3 : 0;
    }
}

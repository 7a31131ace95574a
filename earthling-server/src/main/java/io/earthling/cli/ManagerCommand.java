package io.earthling.cli;

import io.earthling.config.EarthlingConfig;
import io.earthling.config.Endpoint;
import io.earthling.manager.Manager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "manager", mixinStandardHelpOptions = true,
        description = "Runs a manager: the leader if it wins the lease, else a standby that takes over on failure.")
final class ManagerCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "which rpc.manager entry this is (default: the first)")
    String address;

    @Option(names = "--port", paramLabel = "PORT", description = "with --address: the entry's port")
    Integer port;

    @Option(names = "--insecure", description = "allow plaintext gRPC and a tokenless HTTP API beyond loopback"
            + " (security.insecure: true)")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        EarthlingConfig c = insecure ? config.load().insecure() : config.load();
        Endpoint self = c.managers().get(0);
        if (address != null) {
            self = c.managers().stream().filter(m -> m.address().equals(address) && (port == null || m.port() == port))
                    .findFirst().orElse(new Endpoint(address, port == null ? self.port() : port));
        }
        Manager manager = Roles.startManager(c, self);
        Runtime.getRuntime().addShutdownHook(new Thread(manager::close));
        manager.awaitStop();
        return manager.lostLeadership() ? 3 : 0;
    }
}

package io.earthling.cli;

import io.earthling.api.NodeView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drains a node: no new work; its running jobs finish, then the assistant leaves and exits.")
final class DrainCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "NODE", description = "the node id as earthling nodes shows it (ADDRESS:PORT)")
    String node;

    @Override
    public Integer call() {
        NodeView n = client.with(c -> c.drain(node));
        System.out.println("node " + n.id() + " " + n.status() + ": " + n.running() + " running jobs finish, then it leaves");
        return 0;
    }
}

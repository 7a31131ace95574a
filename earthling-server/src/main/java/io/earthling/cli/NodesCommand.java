package io.earthling.cli;

import io.earthling.api.NodeView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "Lists the assistants the leader knows: status, workers, node state, and why a node gets no work.")
final class NodesCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-w", "--watch"}, description = "refresh every second until interrupted")
    boolean watch;

    @Override
    public Integer call() throws Exception {
        do {
            List<NodeView> nodes = client.with(c -> c.nodes());
            if (watch) {
                System.out.print("\033[H\033[2J");
            }
            System.out.printf("%-22s %-8s %-7s %-4s %-7s %-6s %-6s %-9s %-9s %-6s %-7s %s%n", "NODE", "STATUS", "WORKERS",
                    "IDLE", "RUNNING", "CPU", "LOAD", "MEM-FREE", "DISK-FREE", "IOWAIT", "BROKEN", "NOTE");
            for (NodeView n : nodes) {
                System.out.printf("%-22s %-8s %-7d %-4d %-7d %-6s %-6s %-9s %-9s %-6s %-7s %s%n", n.id(), n.status(),
                        n.workers(), n.idle(), n.running(), percent(n.cpuLoad()), decimal(n.loadAverage()),
                        bytes(n.memoryAvailableBytes()), bytes(n.diskAvailableBytes()), percent(n.ioWait()),
                        n.broken() + "/" + n.restarts(), n.reason().isEmpty() ? "-" : n.reason());
            }
            if (watch) {
                Thread.sleep(1000);
            }
        } while (watch);
        return 0;
    }

    private static String percent(double share) {
        return share < 0 ? "?" : String.format("%.0f%%", share * 100);
    }

    private static String decimal(double v) {
        return v < 0 ? "?" : String.format("%.2f", v);
    }

    private static String bytes(long b) {
        if (b <= 0) {
            return "?";
        }
        return b >= 1L << 30 ? String.format("%.1fG", b / (double) (1L << 30)) : (b >> 20) + "M";
    }
}

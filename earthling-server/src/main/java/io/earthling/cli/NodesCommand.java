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

    @Mixin
    OutputOptions out;

    @Option(names = {"-w", "--watch"}, description = {"refresh every second until interrupted (on a terminal the screen is"
            + " redrawn;", "into a pipe each refresh is appended after a time line)"})
    boolean watch;

    @Option(names = "--count", paramLabel = "N", description = "with --watch: stop after N refreshes")
    int count;

    /** Always with seconds: {@code LocalTime.toString()} drops ":00". */
    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    @Override
    public Integer call() throws Exception {
        boolean terminal = System.console() != null;
        for (int i = 1; ; i++) {
            List<NodeView> nodes = client.with(c -> c.nodes());
            if (watch && terminal) {
                System.out.print("\033[H\033[2J");
            } else if (watch) {
                System.out.println((i > 1 ? "\n" : "") + "-- " + TIME.format(java.time.LocalTime.now()));
            }
            if (out.json) {
                OutputOptions.printJson(nodes);
            } else {
                print(nodes);
            }
            System.out.flush();
            if (!watch || i == count) {
                return 0;
            }
            Thread.sleep(1000);
        }
    }

    private static void print(List<NodeView> nodes) {
        if (nodes.isEmpty()) {
            System.out.println("no nodes: start an assistant (earthling assistant --manager HOST:PORT --workers N)");
            return;
        }
        Table t = new Table("NODE", "STATUS", ">WORKERS", ">IDLE", ">RUNNING", ">CPU", ">LOAD", ">MEM-FREE", ">DISK-FREE",
                ">IOWAIT", ">BROKEN", "NOTE");
        for (NodeView n : nodes) {
            t.row(n.id(), n.status(), n.workers(), n.idle(), n.running(), percent(n.cpuLoad()), decimal(n.loadAverage()),
                    bytes(n.memoryAvailableBytes()), bytes(n.diskAvailableBytes()), percent(n.ioWait()),
                    n.broken() + "/" + n.restarts(), n.reason().isEmpty() ? "-" : n.reason());
        }
        t.print();
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

package io.earthling.dist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The worker processes of a cluster, found as children of its assistant processes. */
final class Workers {
    private Workers() {
    }

    record Worker(ProcessHandle handle, String address, int port) {
        String name() {
            return address + ":" + port;
        }

        Duration uptime() {
            return Duration.between(handle.info().startInstant().orElse(Instant.now()), Instant.now());
        }
    }

    static List<Worker> of(Process assistant) {
        return assistant.descendants().filter(ProcessHandle::isAlive).map(Workers::worker)
                .flatMap(Optional::stream).toList();
    }

    private static Optional<Worker> worker(ProcessHandle h) {
        String[] args = h.info().arguments().orElse(new String[0]);
        String address = null;
        int port = -1;
        for (String a : args) {
            if (a.startsWith("--address=")) {
                address = a.substring(10);
            } else if (a.startsWith("--port=")) {
                port = Integer.parseInt(a.substring(7));
            }
        }
        return address == null || port < 0 ? Optional.empty() : Optional.of(new Worker(h, address, port));
    }

    /**
     * Whether the process has exited. An orphan is reaped by whoever adopted it, maybe seconds later; until then it
     * is a zombie, which {@link ProcessHandle#isAlive()} still counts as alive although it runs nothing and holds
     * no port.
     */
    static boolean exited(ProcessHandle h) {
        if (!h.isAlive()) {
            return true;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(h.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // gone between the two checks
        }
    }

    static boolean listening(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

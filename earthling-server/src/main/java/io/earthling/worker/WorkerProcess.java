package io.earthling.worker;

import io.earthling.grpc.GrpcServers;
import io.grpc.Server;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A worker OS process: serves {@link WorkerServer} on its assistant's address and exits when its stdin closes,
 * which happens when the assistant dies, however it dies.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void run(String address, int port, Path handlersDir, List<String> allow) throws InterruptedException {
        HandlerRegistry registry = HandlerRegistry.load(handlersDir, allow);
        Server server = GrpcServers.start("worker", address, port, new WorkerServer(registry));
        Thread watch = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the assistant never writes; EOF means it is gone
                }
            } catch (IOException e) {
                // treat like EOF
            }
            server.shutdownNow();
            Runtime.getRuntime().halt(0);
        }, "earthling-parent-watch");
        watch.setDaemon(true);
        watch.start();
        server.awaitTermination();
    }
}

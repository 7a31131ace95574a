package io.earthling.cli;

import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.config.Endpoint;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How client commands reach the manager: {@code --manager HOST:PORT} or the first manager of {@code --config}. */
final class ClientOptions {
    @Option(names = {"-m", "--manager"}, paramLabel = "HOST:PORT", description = "manager address (default 127.0.0.1:50051)")
    String manager;

    @Mixin
    ConfigOption config;

    String target() {
        if (manager != null) {
            return manager;
        }
        Endpoint e = config.load().managers().get(0);
        return e.target();
    }

    /** Runs {@code work} with a client; an unreachable manager is retried for a few seconds, then one clear line. */
    <T> T with(Function<EarthlingClient, T> work) {
        String target = target();
        int colon = target.lastIndexOf(':');
        if (colon < 1) {
            throw new EarthlingException("--manager: expected HOST:PORT, got \"" + target + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new EarthlingException("--manager: not a port number: \"" + target.substring(colon + 1) + "\"");
        }
        try (EarthlingClient client = EarthlingClient.connect(target.substring(0, colon), port)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                try {
                    return work.apply(client);
                } catch (EarthlingException e) {
                    if (!e.getMessage().startsWith("cannot reach") || System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                    sleep(500);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EarthlingException("interrupted");
        }
    }
}

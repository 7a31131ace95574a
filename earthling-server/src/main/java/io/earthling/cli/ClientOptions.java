package io.earthling.cli;

import io.earthling.api.ClientTls;
import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.config.EarthlingConfig;
import io.earthling.config.Endpoint;
import io.earthling.grpc.TlsFiles;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How client commands reach the manager: {@code --manager HOST:PORT} or the first manager of {@code --config}. */
final class ClientOptions {
    @Option(names = {"-m", "--manager"}, paramLabel = "HOST:PORT", description = "the manager's gRPC address (default 127.0.0.1:50051)")
    String manager;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = {"give up when the manager does not answer"
            + " within this time (default 2).", "Given, a refused connection (a manager still starting) is tried again until then"})
    Double connectTimeoutSeconds;

    @Option(names = "--token", paramLabel = "TOKEN", description = {"sign in with this API token or the manager's"
            + " http.token (default: EARTHLING_TOKEN, else http.token of --config when it sets no client certificate)",
            "Sent as authorization: Bearer TOKEN; with TLS it stands in for a client certificate"})
    String token;

    @Option(names = "--ca", paramLabel = "FILE", description = {"check the manager's TLS certificate against this CA"
            + " (certs/ca.crt) when you sign in with --token and hold no client certificate",
            "With tls.* in --config, that CA is used instead"})
    java.nio.file.Path ca;

    @Mixin
    ConfigOption config;

    String target() {
        if (manager != null) {
            return manager;
        }
        Endpoint e = config.load().managers().get(0);
        return e.target();
    }

    /**
     * Runs {@code work} with a client once connected; a manager that cannot be reached is one clear line within
     * {@code --connect-timeout}, not a wait or a stack trace.
     */
    <T> T with(Function<EarthlingClient, T> work) {
        String target = target();
        String option = manager != null ? "--manager" : "rpc.manager of " + config.file;
        int colon = target.lastIndexOf(':');
        if (colon < 1) {
            throw new EarthlingException(option + ": expected HOST:PORT, e.g. 127.0.0.1:50051, got \"" + target + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new EarthlingException(option + ": not a port number: \"" + target.substring(colon + 1) + "\" (expected HOST:PORT)");
        }
        if (port < 1 || port > 65535) {
            throw new EarthlingException(option + ": port " + port + " is outside 1-65535");
        }
        if (connectTimeoutSeconds != null && !(connectTimeoutSeconds > 0)) {
            throw new EarthlingException("--connect-timeout: must be more than 0 seconds, got " + connectTimeoutSeconds);
        }
        try (EarthlingClient client = EarthlingClient.connect(target.substring(0, colon), port, tls(), token())) {
            connect(client);
            return work.apply(client);
        }
    }

    /**
     * The client certificate of {@code tls.*} (config or EARTHLING_TLS_* variables), else the CA of {@code --ca}
     * alone, or null for plaintext.
     */
    private ClientTls tls() {
        TlsFiles f = config.load().security().tls();
        return f != null ? new ClientTls(f.ca(), f.cert(), f.key()) : ca == null ? null : ClientTls.caOnly(ca);
    }

    /**
     * {@code --token}, else EARTHLING_TOKEN, else the config's {@code http.token} (the bootstrap secret) unless a client
     * certificate is configured (then the certificate's roles apply), else none.
     */
    String token() {
        if (token != null) {
            return token;
        }
        String env = System.getenv("EARTHLING_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        EarthlingConfig c = config.load();
        return c.security().tls() != null ? null : c.httpAccess().token();
    }

    private void connect(EarthlingClient client) {
        long timeoutMs = connectTimeoutSeconds == null ? 2000 : Math.round(connectTimeoutSeconds * 1000);
        long end = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                client.checkReachable(Duration.ofMillis(Math.max(1, end - System.currentTimeMillis())));
                return;
            } catch (EarthlingException e) {
                if (connectTimeoutSeconds == null || !e.getMessage().contains("connection refused")
                        || System.currentTimeMillis() >= end) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EarthlingException("interrupted");
            }
        }
    }
}

package io.earthling.grpc;

import java.nio.file.Path;

/**
 * Where this process's TLS material lives ({@code tls.ca}, {@code tls.cert}, {@code tls.key}, PEM files as
 * {@code earthling certs} writes them) and how often they are checked for a change ({@code tls.reloadSeconds}).
 */
public record TlsFiles(Path ca, Path cert, Path key, long reloadSeconds) {
    public static final long DEFAULT_RELOAD_SECONDS = 60;
}

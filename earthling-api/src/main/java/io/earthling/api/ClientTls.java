package io.earthling.api;

import java.nio.file.Path;

/**
 * A client's mutual TLS: the cluster CA that signed the manager's certificate, and this client's own certificate and
 * key (PEM, as {@code earthling certs client --name NAME} writes them).
 */
public record ClientTls(Path ca, Path cert, Path key) {
}

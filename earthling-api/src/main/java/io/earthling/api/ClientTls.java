package io.earthling.api;

import java.nio.file.Path;

/**
 * A client's TLS: the cluster CA that signed the manager's certificate, and this client's own certificate and key
 * (PEM, as {@code earthling certs client --name NAME} writes them). {@code cert} and {@code key} null: no client
 * certificate; the client then proves who it is with a token ({@link EarthlingClient#connect(String, int, ClientTls,
 * String)}).
 */
public record ClientTls(Path ca, Path cert, Path key) {
    /** Only the CA, to check the manager: for a client that signs in with a token. */
    public static ClientTls caOnly(Path ca) {
        return new ClientTls(ca, null, null);
    }
}

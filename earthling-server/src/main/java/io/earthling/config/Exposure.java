package io.earthling.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Secure by default beyond loopback: a role that listens on an address other hosts can reach needs TLS on its gRPC
 * port and a token on its HTTP port, unless {@code security.insecure} (or {@code --insecure}) says plaintext is
 * meant. On 127.0.0.0/8 and ::1 (laptop mode, the seed's 127.0.0.x clusters) nothing is needed. A plain decision:
 * the caller refuses to start with the reason. docs/operations.md, "Securing a cluster".
 */
public final class Exposure {
    private Exposure() {
    }

    /** Why {@code what} (e.g. "rpc.manager") may not listen on {@code address} as configured, if it may not. */
    public static Optional<String> rpc(String what, String address, EarthlingConfig.Security security) {
        if (security.insecure() || security.tls() != null || loopback(address)) {
            return Optional.empty();
        }
        return Optional.of(what + ": " + address + " is reachable beyond this host and TLS is off: set tls.ca, tls.cert"
                + " and tls.key (earthling certs makes them), or allow plaintext with --insecure or security.insecure: true");
    }

    /** Why HTTP may not listen on {@code address} with {@code token} (null: none), if it may not. */
    public static Optional<String> http(String address, String token, EarthlingConfig.Security security) {
        if (security.insecure() || token != null || loopback(address)) {
            return Optional.empty();
        }
        return Optional.of("http.address: " + address + " is reachable beyond this host and http.token is not set: set"
                + " http.token (or EARTHLING_HTTP_TOKEN), or allow it open with --insecure or security.insecure: true");
    }

    /** Whether every address {@code host} names is a loopback address; a name that does not resolve is not. */
    static boolean loopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

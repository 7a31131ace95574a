package io.earthling.manager;

import java.time.Duration;

/**
 * Where the manager serves its REST API, dashboard and metrics; {@code token} null lets anyone who reaches the
 * port in, else every call needs it or an API token. Bodies over {@code maxBodyBytes} are refused. A dashboard
 * session lasts {@code sessionTtl}.
 */
public record HttpSettings(String address, int port, String token, int maxBodyBytes, Duration sessionTtl) {
    /** How long a dashboard session lasts unless {@code http.sessionTtl} says otherwise. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);

    public HttpSettings {
        if (sessionTtl == null || sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("http.sessionTtl: must be more than 0, got " + sessionTtl);
        }
    }

    public HttpSettings(String address, int port, String token, int maxBodyBytes) {
        this(address, port, token, maxBodyBytes, DEFAULT_SESSION_TTL);
    }
}

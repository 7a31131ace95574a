package io.earthling.config;

import java.time.Duration;

/**
 * Who may use the HTTP API and dashboard ({@code token} null: anyone who reaches the port), its body cap, and how
 * long a dashboard session lasts ({@code http.sessionTtl}).
 */
public record HttpAccess(String token, int maxBodyBytes, Duration sessionTtl) {
    /** 12 hours: a working day, and sign in again the next. */
    public static final long DEFAULT_SESSION_TTL_MS = 12 * 3_600_000L;

    public HttpAccess(String token, int maxBodyBytes) {
        this(token, maxBodyBytes, Duration.ofMillis(DEFAULT_SESSION_TTL_MS));
    }
}

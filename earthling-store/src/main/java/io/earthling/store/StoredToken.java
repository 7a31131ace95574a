package io.earthling.store;

import java.util.List;

/**
 * An API token as stored: its name, the SHA-256 digest (64 hex characters) of the token (never the token), the role
 * words it grants, and epoch millis of its creation, expiry (0: never) and revocation (0: not revoked).
 */
public record StoredToken(String name, String digest, List<String> roles, long createdMs, long expiresMs,
                          long revokedMs) {
    public StoredToken {
        roles = List.copyOf(roles);
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("digest: expected 64 lower-case hex characters (SHA-256)");
        }
    }

    /** Whether the token may be used at {@code nowMs}: not revoked and not expired. */
    public boolean activeAt(long nowMs) {
        return revokedMs == 0 && (expiresMs == 0 || nowMs < expiresMs);
    }
}

package io.earthling.api;

import java.time.Instant;
import java.util.List;

/**
 * An API token as the manager lists it: never the token itself. {@code expires} null: never; {@code revoked} null:
 * still valid (unless expired).
 */
public record TokenView(String name, List<String> roles, Instant created, Instant expires, Instant revoked) {
    /** A token just created: {@code token} is shown this once and never again. */
    public record Issued(String token, TokenView view) {
    }
}

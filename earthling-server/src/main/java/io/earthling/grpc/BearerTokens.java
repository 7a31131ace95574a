package io.earthling.grpc;

/**
 * What a token sent as {@code authorization: Bearer TOKEN} stands for. The manager answers from its token table;
 * a port without one (an assistant's) has none. docs/operations.md, "Securing a cluster".
 */
public interface BearerTokens {
    /** The header (gRPC metadata key) that carries the token. */
    String HEADER = "authorization";

    /** The principal of {@code token}, or why it is refused (unknown, revoked, expired). */
    Check check(String token);

    /** A token's principal, or the reason it is refused. */
    record Check(Principal principal, String refusal) {
        public static Check ok(Principal p) {
            return new Check(p, null);
        }

        public static Check refused(String why) {
            return new Check(null, why);
        }
    }

    /**
     * The token in an {@code authorization} value: null when there is no header, empty when it is not
     * {@code Bearer TOKEN}.
     */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : "";
    }
}

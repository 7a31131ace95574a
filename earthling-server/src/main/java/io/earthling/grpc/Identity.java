package io.earthling.grpc;

import java.util.Locale;
import java.util.Optional;

/**
 * Who a certificate says its holder is: a role and, for assistants and clients, a name. Written in the certificate
 * as a URI subject alternative name (and the common name): {@code earthling:manager},
 * {@code earthling:assistant:NODE_ID} ({@code address:port}, the node id it registers with),
 * {@code earthling:client:NAME}. docs/operations.md, "Securing a cluster".
 */
public record Identity(Role role, String name) {
    private static final String SCHEME = "earthling:";

    /** The roles a certificate can carry; a certificate names exactly one. */
    public enum Role {
        MANAGER, ASSISTANT, CLIENT;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Identity {
        if (role == Role.MANAGER ? !name.isEmpty() : name.isBlank() || name.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(role.word() + ": " + (role == Role.MANAGER ? "takes no name"
                    : "needs a name without spaces, got \"" + name + "\""));
        }
    }

    public static Identity manager() {
        return new Identity(Role.MANAGER, "");
    }

    public static Identity assistant(String nodeId) {
        return new Identity(Role.ASSISTANT, nodeId);
    }

    public static Identity client(String name) {
        return new Identity(Role.CLIENT, name);
    }

    /** The URI written into a certificate. */
    public String uri() {
        return SCHEME + role.word() + (name.isEmpty() ? "" : ":" + name);
    }

    /** The identity a URI names, or empty for anything that is not one of ours. */
    public static Optional<Identity> parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = uri.substring(SCHEME.length());
        int colon = rest.indexOf(':');
        String role = colon < 0 ? rest : rest.substring(0, colon);
        String name = colon < 0 ? "" : rest.substring(colon + 1);
        try {
            return Optional.of(new Identity(Role.valueOf(role.toUpperCase(Locale.ROOT)), name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return uri();
    }
}

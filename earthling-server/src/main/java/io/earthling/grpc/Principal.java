package io.earthling.grpc;

import io.earthling.grpc.ClientRoles.Role;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who calls the client API with a token, and what it may do: {@code earthling:token:NAME} for an API token,
 * {@code earthling:http.token} for the bootstrap secret (role admin). docs/operations.md, "Securing a cluster".
 */
public record Principal(String name, Set<Role> roles) {
    /** What an API token's principal starts with; its name follows. */
    public static final String TOKEN_PREFIX = "earthling:token:";

    public Principal {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** The principal of API token {@code tokenName}. */
    public static Principal token(String tokenName, Set<Role> roles) {
        return new Principal(TOKEN_PREFIX + tokenName, roles);
    }

    /** The bootstrap secret {@code http.token}: admin. */
    public static Principal bootstrap() {
        return new Principal("earthling:http.token", Set.of(Role.ADMIN));
    }

    /** Whether this principal holds {@code role} (admin holds every role). */
    public boolean may(Role role) {
        return roles.contains(Role.ADMIN) || roles.contains(role);
    }

    /** Why this principal may not do what needs {@code role} ({@code what}: e.g. the method), if it may not. */
    public java.util.Optional<String> refusal(Role role, String what) {
        if (may(role)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(name + " may not call " + what + ": it needs the role " + role.word() + " (has "
                + words() + ")");
    }

    /** Its roles as words, e.g. "read, submit"; "none" when it has none. */
    public String words() {
        return roles.isEmpty() ? "none" : EnumSet.copyOf(roles).stream().map(Role::word).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return name;
    }
}

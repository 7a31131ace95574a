package io.earthling.manager.internal.access;

import io.earthling.grpc.BearerTokens;
import io.earthling.grpc.ClientRoles.Role;
import io.earthling.grpc.Principal;
import io.earthling.manager.internal.api.Refusal;
import io.earthling.store.StoredToken;
import io.earthling.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's API tokens: creates, lists and revokes them in the store, and answers "who is this token?" from an
 * in-memory copy of the table, refreshed every few seconds ({@link #refresh()}, called by the manager's timer) and at
 * once after a create or revoke on this manager. The bootstrap secret {@code http.token}, when set, is principal
 * {@code earthling:http.token} with the role admin. docs/operations.md, "Securing a cluster".
 */
public final class ApiTokens implements BearerTokens {
    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** How often each manager reads the token table again: a revoke elsewhere takes effect within this. */
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private final TokenStore store;
    private final Clock clock;
    private final String bootstrapDigest;
    private volatile Map<String, StoredToken> byDigest = Map.of();
    private volatile Map<String, StoredToken> byName = Map.of();
    private volatile java.util.function.Consumer<String> onRevoke = name -> { };

    /** {@code bootstrap}: the {@code http.token} secret, or null. */
    public ApiTokens(TokenStore store, Clock clock, String bootstrap) {
        this.store = store;
        this.clock = clock;
        this.bootstrapDigest = bootstrap == null ? null : TokenText.digest(bootstrap);
    }

    /** Calls {@code then} with a token's name each time this manager revokes one (its dashboard sessions end). */
    public void onRevoke(java.util.function.Consumer<String> then) {
        this.onRevoke = then;
    }

    /** Whether a bootstrap secret is set. */
    public boolean hasBootstrap() {
        return bootstrapDigest != null;
    }

    /** Reads the table again; a store that cannot be read keeps the copy it has (logged). */
    public void refresh() {
        try {
            load(store.all());
        } catch (RuntimeException e) {
            log.warn("Could not read the API tokens ({}); using the copy read before, trying again in {} s",
                    e.getMessage(), REFRESH.toSeconds());
        }
    }

    private synchronized void load(List<StoredToken> all) {
        Map<String, StoredToken> d = new HashMap<>();
        Map<String, StoredToken> n = new HashMap<>();
        for (StoredToken t : all) {
            d.put(t.digest(), t);
            n.put(t.name(), t);
        }
        byDigest = Map.copyOf(d);
        byName = Map.copyOf(n);
    }

    @Override
    public Check check(String token) {
        String digest = TokenText.digest(token);
        if (bootstrapDigest != null && TokenText.same(digest, bootstrapDigest)) {
            return Check.ok(Principal.bootstrap());
        }
        StoredToken t = byDigest.get(digest);
        if (t == null) {
            return Check.refused("unknown token");
        }
        Optional<String> inactive = inactive(t);
        return inactive.map(Check::refused).orElseGet(() -> Check.ok(Principal.token(t.name(), roles(t.roles()))));
    }

    /** Whether API token {@code name} may still be used (a dashboard session asks on each request). */
    public boolean active(String name) {
        StoredToken t = byName.get(name);
        return t != null && inactive(t).isEmpty();
    }

    private Optional<String> inactive(StoredToken t) {
        if (t.revokedMs() != 0) {
            return Optional.of("token " + t.name() + " was revoked at " + Instant.ofEpochMilli(t.revokedMs()));
        }
        if (!t.activeAt(clock.millis())) {
            return Optional.of("token " + t.name() + " expired at " + Instant.ofEpochMilli(t.expiresMs()));
        }
        return Optional.empty();
    }

    /** A new token: the token itself (shown once) and what is stored of it. */
    public record Issued(String token, StoredToken stored) {
    }

    /** Creates token {@code name} with {@code roleWords}; {@code expiresIn} null or zero: it never expires. */
    public Issued create(String name, List<String> roleWords, Duration expiresIn) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Refusal.invalid("name: expected 1 to 100 letters, digits, '.', '_' or '-', got \"" + name + "\"");
        }
        Set<Role> roles = roles(roleWords);
        if (roles.isEmpty()) {
            throw Refusal.invalid("roles: give at least one of read, submit, operate, admin");
        }
        if (expiresIn != null && expiresIn.isNegative()) {
            throw Refusal.invalid("expires: must be more than 0, got " + expiresIn);
        }
        long now = clock.millis();
        String token = TokenText.newToken();
        StoredToken stored = new StoredToken(name, TokenText.digest(token),
                EnumSet.copyOf(roles).stream().map(Role::word).toList(), now,
                expiresIn == null || expiresIn.isZero() ? 0 : now + expiresIn.toMillis(), 0);
        if (!store.create(stored)) {
            throw Refusal.exists("token " + name + " exists; revoke it first (earthling tokens revoke " + name
                    + ") or pick another name");
        }
        refresh();
        log.info("Created API token {} with roles {}", name, stored.roles());
        return new Issued(token, stored);
    }

    /** Every token, revoked ones too; digests are never shown. */
    public List<StoredToken> list() {
        return store.all();
    }

    /** Revokes token {@code name} at once on this manager; the others see it at their next refresh. */
    public StoredToken revoke(String name) {
        if (!store.revoke(name, clock.millis())) {
            StoredToken t = store.all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                    () -> Refusal.notFound("no token named " + name + " (earthling tokens list)"));
            refresh();
            return t;
        }
        refresh();
        onRevoke.accept(name);
        log.info("Revoked API token {}; its dashboard sessions end now", name);
        return byName.get(name);
    }

    /** The roles {@code words} name; an unknown word is an invalid request naming it. */
    static Set<Role> roles(List<String> words) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String w : words) {
            roles.add(Role.of(w.trim()).orElseThrow(() -> Refusal.invalid("roles: unknown role \"" + w
                    + "\" (expected read, submit, operate or admin)")));
        }
        return roles;
    }
}

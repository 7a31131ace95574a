package io.earthling.manager.internal.access;

import io.earthling.grpc.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's sessions, in this manager's memory: signing in with a token opens one under a random id (the only
 * thing the cookie holds), which lasts {@code ttl} ({@code http.sessionTtl}). Signing out closes it; revoking its
 * token ends it. After a failover the new leader knows none of them: sign in again. At most {@code max} at once;
 * a new one then pushes out the one closest to expiry. A plain object: every time comes from the injected clock.
 */
public final class Sessions {
    /** A session: who signed in, with which API token (null: the bootstrap {@code http.token}), and until when. */
    public record Session(Principal principal, String tokenName, Instant expires) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final int max;
    private final Map<String, Session> byDigest = new HashMap<>();

    public Sessions(Clock clock, Duration ttl, int max) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("http.sessionTtl: must be more than 0, got " + ttl);
        }
        this.clock = clock;
        this.ttl = ttl;
        this.max = max;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Opens a session for {@code principal}; returns its id, for the cookie. Only its digest is kept. */
    public synchronized String open(Principal principal, String tokenName) {
        Instant now = clock.instant();
        byDigest.values().removeIf(s -> !now.isBefore(s.expires()));
        while (byDigest.size() >= max) {
            byDigest.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expires()))
                    .ifPresent(e -> byDigest.remove(e.getKey()));
        }
        String id = TokenText.random();
        byDigest.put(TokenText.digest(id), new Session(principal, tokenName, now.plus(ttl)));
        return id;
    }

    /** The session {@code id} names, unless it expired (then it is dropped) or never existed. */
    public synchronized Optional<Session> find(String id) {
        String digest = TokenText.digest(id);
        Session s = byDigest.get(digest);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires())) {
            byDigest.remove(digest);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Signs out: the id is no use from now on. */
    public synchronized void close(String id) {
        byDigest.remove(TokenText.digest(id));
    }

    /** Ends every session opened with API token {@code tokenName}; returns how many. */
    public synchronized int endFor(String tokenName) {
        int before = byDigest.size();
        byDigest.values().removeIf(s -> tokenName.equals(s.tokenName()));
        return before - byDigest.size();
    }

    public synchronized int size() {
        return byDigest.size();
    }
}

package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.grpc.BearerTokens;
import io.earthling.grpc.Principal;
import io.earthling.manager.internal.access.ApiTokens;
import io.earthling.manager.internal.access.Sessions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who calls, and whether it may. API clients send {@code Authorization: Bearer TOKEN}: the bootstrap {@code http.token}
 * (admin) or an API token (its roles, {@link RouteRoles}). The dashboard's login form trades a token for a session:
 * the HttpOnly, SameSite=Strict cookie holds only a random session id, which expires after {@code http.sessionTtl},
 * ends at sign-out and when its token is revoked. Every POST must carry {@code X-Earthling-Request} (or an
 * Authorization header): a cross-site form cannot set either, so actions cannot be forged. Without {@code http.token}
 * (loopback only) a call without a token may do everything; a token it sends is still checked.
 */
final class Access {
    private static final Logger log = LoggerFactory.getLogger(Access.class);
    static final String COOKIE = "earthling_session";
    static final String CSRF_HEADER = "X-Earthling-Request";
    private static final Set<String> OPEN = Set.of("/login", "/logout", "/dashboard.css", "/login.js");

    private final ApiTokens tokens;
    private final Sessions sessions;
    private final boolean required;

    Access(ApiTokens tokens, Sessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.required = tokens.hasBootstrap();
    }

    void register(RoutesConfig r) {
        r.before(this::check);
        r.post("/login", this::login);
        r.post("/logout", ctx -> {
            String id = ctx.cookie(COOKIE);
            if (id != null) {
                sessions.close(id);
            }
            ctx.header("Set-Cookie", COOKIE + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
            ctx.status(204);
        });
    }

    private void check(Context ctx) {
        boolean write = ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD
                && ctx.method() != HandlerType.OPTIONS;
        String auth = ctx.header("Authorization");
        if (write && auth == null && ctx.header(CSRF_HEADER) == null) {
            throw new HttpProblem(403, "a " + ctx.method() + " needs the header " + CSRF_HEADER
                    + ": 1 (or Authorization); it guards against cross-site requests");
        }
        if (OPEN.contains(ctx.path())) {
            return;
        }
        Optional<Principal> who = principal(ctx, auth);
        if (who.isEmpty()) {
            if (required) {
                throw refused(ctx, "a caller without a token", 401, "this manager needs a token: send Authorization:"
                        + " Bearer <token> (http.token, or one from earthling tokens create), or sign in to the"
                        + " dashboard");
            }
            return;
        }
        String what = ctx.method() + " " + ctx.path();
        Optional<String> denied = who.get().refusal(RouteRoles.needs(ctx.method().name(), ctx.path()), what);
        if (denied.isPresent()) {
            throw refused(ctx, who.get().name(), 403, denied.get());
        }
    }

    /** The caller: by its bearer token, else by its session cookie; a bad token or a dead session is a 401. */
    private Optional<Principal> principal(Context ctx, String auth) {
        String token = BearerTokens.bearer(auth);
        if (token != null) {
            BearerTokens.Check c = token.isEmpty()
                    ? BearerTokens.Check.refused("the Authorization header is not \"Bearer TOKEN\"")
                    : tokens.check(token);
            if (c.principal() == null) {
                throw refused(ctx, "a caller with a bad token", 401, "token refused: " + c.refusal());
            }
            return Optional.of(c.principal());
        }
        String id = ctx.cookie(COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        Optional<Sessions.Session> s = sessions.find(id)
                .filter(x -> x.tokenName() == null || tokens.active(x.tokenName()));
        if (s.isEmpty()) {
            if (!required) {
                return Optional.empty();
            }
            throw refused(ctx, "a dashboard session that ended", 401, "your dashboard session expired or was ended"
                    + " (signed out, or its token revoked); sign in again");
        }
        return Optional.of(s.get().principal());
    }

    private static HttpProblem refused(Context ctx, String who, int status, String why) {
        log.warn("Refused {} {} from {} at {}: {}; answering {}", ctx.method(), ctx.path(), who, ctx.ip(), why, status);
        return new HttpProblem(status, why);
    }

    private void login(Context ctx) {
        JsonNode body = Views.parse(ctx.body());
        JsonNode given = body.get("token");
        if (!required && (given == null || given.asText().isEmpty())) {
            ctx.status(204);
            return;
        }
        if (given == null || !given.isTextual() || given.asText().isEmpty()) {
            throw new HttpProblem(401, "token: give the token (http.token, or one from earthling tokens create)");
        }
        BearerTokens.Check c = tokens.check(given.asText().trim());
        if (c.principal() == null) {
            throw refused(ctx, "a dashboard sign-in", 401, "token: refused: " + c.refusal());
        }
        if (!c.principal().may(io.earthling.grpc.ClientRoles.Role.READ)) {
            throw refused(ctx, c.principal().name(), 403, "token: " + c.principal().name() + " may not sign in to the"
                    + " dashboard: it needs the role read (has " + c.principal().words() + ")");
        }
        String name = c.principal().name();
        String tokenName = name.startsWith(Principal.TOKEN_PREFIX) ? name.substring(Principal.TOKEN_PREFIX.length()) : null;
        String id = sessions.open(c.principal(), tokenName);
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Max-Age=" + sessions.ttl().toSeconds()
                + "; Path=/; HttpOnly; SameSite=Strict");
        log.info("{} signed in to the dashboard from {}; the session lasts {}", name, ctx.ip(), sessions.ttl());
        ctx.status(204);
    }
}

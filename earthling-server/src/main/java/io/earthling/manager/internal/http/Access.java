package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The token check. API clients send {@code Authorization: Bearer TOKEN}; the dashboard's login form trades the
 * token for an HttpOnly, SameSite=Strict cookie that holds a digest of it, never the token, and never in a URL.
 * Every POST must carry {@code X-Earthling-Request} (or an Authorization header): a cross-site form cannot set
 * either, so actions cannot be forged.
 */
final class Access {
    static final String COOKIE = "earthling_session";
    static final String CSRF_HEADER = "X-Earthling-Request";
    private static final Set<String> OPEN = Set.of("/login", "/dashboard.css", "/login.js");

    private final String token;
    private final String session;

    Access(String token) {
        this.token = token;
        this.session = token == null ? null : digest("earthling-dashboard-session:" + token);
    }

    void register(RoutesConfig r) {
        r.before(this::check);
        r.post("/login", this::login);
        r.post("/logout", ctx -> {
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
        if (token == null || OPEN.contains(ctx.path())) {
            return;
        }
        if (auth != null) {
            if (auth.startsWith("Bearer ") && same(auth.substring(7).trim(), token)) {
                return;
            }
            throw new HttpProblem(401, "wrong token in the Authorization header (expected: Bearer <http.token>)");
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && same(cookie, session)) {
            return;
        }
        throw new HttpProblem(401, "this manager needs its token (http.token): send Authorization: Bearer <token>,"
                + " or sign in to the dashboard");
    }

    private void login(Context ctx) {
        if (token == null) {
            ctx.status(204);
            return;
        }
        JsonNode body = Views.parse(ctx.body());
        JsonNode given = body.get("token");
        if (given == null || !given.isTextual() || !same(given.asText(), token)) {
            throw new HttpProblem(401, "token: wrong token");
        }
        ctx.header("Set-Cookie", COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
        ctx.status(204);
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

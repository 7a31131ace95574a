package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** Writes answers: JSON, or RFC 9457 problem details for errors. */
final class Answers {
    private Answers() {
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    static void problem(Context ctx, Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        HttpProblem p = Calls.problem(cause);
        ObjectNode body = Views.JSON.createObjectNode().put("type", "about:blank")
                .put("title", HttpStatus.forStatus(p.status).getMessage()).put("status", p.status)
                .put("detail", p.getMessage());
        if (p.status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"earthling\"");
        }
        if (p.status == 429) {
            ctx.header("Retry-After", "1"); // nothing was stored: the same request may be sent again
        }
        ctx.status(p.status).contentType("application/problem+json").result(body.toString());
    }

    /** Answers {@code status} with {@code ok(value)} once {@code call} completes, or its problem; null is 404. */
    static <T> void later(Context ctx, CompletableFuture<T> call, int status, Function<T, JsonNode> ok, String missing) {
        ctx.future(() -> call.handle((v, err) -> {
            if (err != null) {
                problem(ctx, err);
            } else if (v == null) {
                problem(ctx, new HttpProblem(404, missing));
            } else {
                try {
                    json(ctx, status, ok.apply(v));
                } catch (RuntimeException e) {
                    problem(ctx, e);
                }
            }
            return null;
        }));
    }
}

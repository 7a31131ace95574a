package io.earthling.manager.internal.http;

import io.earthling.core.MonotonicClock;
import io.earthling.manager.HttpSettings;
import io.earthling.manager.internal.access.ApiTokens;
import io.earthling.manager.internal.access.Sessions;
import io.earthling.manager.internal.api.JobsApi;
import io.earthling.manager.internal.api.LogsApi;
import io.earthling.manager.internal.api.PipelinesApi;
import io.earthling.store.JobStore;
import io.earthling.store.SplitStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * The manager's HTTP port: REST API under /api (answered by the same {@link JobsApi} as gRPC), dashboard at /,
 * Prometheus text at /metrics. A standby answers the API with 503.
 */
public final class HttpApi implements AutoCloseable {
    private final Javalin app;
    private final LiveStream stream;

    private HttpApi(Javalin app, LiveStream stream) {
        this.app = app;
        this.stream = stream;
    }

    public static HttpApi start(HttpSettings s, JobsApi jobs, LogsApi logs, PipelinesApi pipelines,
                                JobStore store, SplitStore splits, BooleanSupplier leader,
                                PrometheusMeterRegistry registry, ApiTokens tokens, Sessions sessions) {
        QueueRates rates = new QueueRates(registry, MonotonicClock.SYSTEM);
        ClusterRoutes cluster = new ClusterRoutes(jobs, rates);
        LiveStream stream = new LiveStream(cluster, store, leader, rates, new History(registry), Clock.systemUTC(),
                MonotonicClock.SYSTEM);
        stream.tokenRequired = tokens.hasBootstrap();
        Access access = new Access(tokens, sessions);
        HostCheck hosts = new HostCheck(s.address(), s.token() != null);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = s.maxBodyBytes();
            cfg.routes.exception(Exception.class, (e, ctx) -> answerError(ctx, e));
            cfg.routes.before(ctx -> {
                securityHeaders(ctx);
                if (!hosts.allows(ctx.header("Host"))) {
                    throw new HttpProblem(403, "Host header not allowed: this manager answers loopback names only while"
                            + " http.token is unset (DNS rebinding)");
                }
                long length = ctx.req().getContentLengthLong();
                if (length > s.maxBodyBytes()) {
                    throw new HttpProblem(413, "body of " + length + " bytes is over the limit of " + s.maxBodyBytes()
                            + " (http.maxBodyBytes)");
                }
            });
            access.register(cfg.routes);
            cfg.routes.before("/api/*", ctx -> {
                if (!leader.getAsBoolean() && !ctx.path().equals("/api/openapi.json")) {
                    throw new HttpProblem(503, "this manager is a standby; ask the leader");
                }
            });
            new JobRoutes(jobs).register(cfg.routes);
            cfg.routes.get("/api/jobs/{id}/logs", ctx -> Answers.later(ctx, Calls.of(() -> logs.read(
                    io.earthling.protocol.logs.LogsRequest.newBuilder().setId(JobRoutes.id(ctx)).build())), 200, Views::logs, null));
            cluster.register(cfg.routes);
            new PageRoutes(jobs, pipelines, splits).register(cfg.routes);
            stream.register(cfg.routes);
            new MetricsEndpoint(registry, cluster, leader).register(cfg.routes);
            Dashboard.register(cfg.routes);
            cfg.routes.error(404, ctx -> {
                // Javalin's own "Endpoint GET /x not found" is text/plain; a route's 404 is a problem already.
                String type = ctx.res().getContentType();
                if (ctx.result() == null || type == null || !type.startsWith("application/problem+json")) {
                    Answers.problem(ctx, new HttpProblem(404, "no such resource: " + ctx.method() + " " + ctx.path()
                            + " (see /api/openapi.json)"));
                }
            });
        });
        try {
            app.start(s.address(), s.port());
        } catch (RuntimeException e) {
            stream.close();
            app.stop();
            throw e;
        }
        return new HttpApi(app, stream);
    }

    /** On every answer: no framing, no sniffing, scripts and styles from this origin only (issue 16, item 8). */
    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none';"
                + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** A dashboard page asked for without the token gets the sign-in page, still with 401. */
    private static void answerError(Context ctx, Exception e) {
        HttpProblem p = Calls.problem(e);
        boolean page = !ctx.path().startsWith("/api/") && !ctx.path().equals("/metrics");
        if (p.status == 401 && page && ctx.method().name().equals("GET")) {
            ctx.status(401).contentType("text/html; charset=utf-8").result(Dashboard.read("login.html"));
            return;
        }
        Answers.problem(ctx, p);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        stream.close();
        app.stop();
    }
}

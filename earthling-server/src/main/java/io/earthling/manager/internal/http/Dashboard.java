package io.earthling.manager.internal.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The dashboard's static files and the OpenAPI document, from the classpath; no build step. */
final class Dashboard {
    private static final String ROOT = "/io/earthling/manager/dashboard/";
    private static final Map<String, String> FILES = Map.of("/", "index.html", "/dashboard.js", "dashboard.js",
            "/dashboard.css", "dashboard.css", "/login.js", "login.js", "/api/openapi.json", "openapi.json",
            "/vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.iife.min.js",
            "/vendor/uplot/uPlot.min.css", "vendor/uplot/uPlot.min.css",
            "/vendor/uplot/LICENSE", "vendor/uplot/LICENSE");

    private Dashboard() {
    }

    static void register(RoutesConfig r) {
        FILES.forEach((path, file) -> r.get(path, ctx -> serve(ctx, file)));
    }

    static void serve(Context ctx, String file) {
        ctx.contentType(type(file)).header("Cache-Control", "no-store").header("X-Frame-Options", "DENY")
                .result(read(file));
    }

    static byte[] read(String file) {
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new HttpProblem(404, "no file " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String type(String file) {
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (file.endsWith("LICENSE")) {
            return "text/plain; charset=utf-8";
        }
        return file.endsWith(".json") ? "application/json" : "text/html; charset=utf-8";
    }
}

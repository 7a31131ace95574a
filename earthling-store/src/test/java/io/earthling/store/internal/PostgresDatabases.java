package io.earthling.store.internal;

import io.earthling.store.StoreSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh PostgreSQL schemas for tests: on the server named by {@code EARTHLING_PG_URL} (CI), else on one embedded
 * PostgreSQL started once per JVM. Never skipped: if neither works, the tests fail.
 */
final class PostgresDatabases {
    static final String ENV = "EARTHLING_PG_URL";
    private static String baseUrl;

    private PostgresDatabases() {
    }

    static synchronized String baseUrl() {
        if (baseUrl == null) {
            String fromEnv = System.getenv(ENV);
            baseUrl = fromEnv != null && !fromEnv.isBlank() ? fromEnv : startEmbedded();
            // Say which PostgreSQL ran, so a CI log shows the tests did not quietly fall back.
            System.out.println("PostgreSQL store tests run on " + (embedded() ? "embedded PostgreSQL at " : ENV + "=")
                    + Urls.redact(baseUrl));
        }
        return baseUrl;
    }

    static boolean embedded() {
        String fromEnv = System.getenv(ENV);
        return fromEnv == null || fromEnv.isBlank();
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the temp data dir is the embedded library's to clean
                }
            }));
            return pg.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL (set " + ENV + " to use a server)", e);
        }
    }

    /** A new empty schema; the returned URL makes it the connection's current schema. */
    static StoreSettings newSchema() throws SQLException {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        String base = baseUrl();
        return StoreSettings.of(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    }

    static void drop(StoreSettings settings) throws SQLException {
        String url = settings.url();
        String schema = url.substring(url.lastIndexOf("currentSchema=") + "currentSchema=".length());
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(baseUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

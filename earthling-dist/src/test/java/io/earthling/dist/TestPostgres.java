package io.earthling.dist;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh PostgreSQL database per test: on the server of {@code EARTHLING_PG_URL} when set (CI sets it),
 * otherwise on an embedded PostgreSQL started once per JVM. Never skipped.
 */
final class TestPostgres {
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    /** A JDBC URL (user in the URL) of a new, empty database. */
    static synchronized String freshDatabase() {
        String admin = adminUrl();
        String name = "earthling_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + admin + ": " + e.getMessage(), e);
        }
        int q = admin.indexOf('?');
        String base = admin.substring(0, admin.lastIndexOf('/', q < 0 ? admin.length() : q) + 1);
        return base + name + (q < 0 ? "" : admin.substring(q));
    }

    /** The URL of the server's admin database (where {@link #freshDatabase()} creates the test databases). */
    static synchronized String adminUrl() {
        String url = System.getenv("EARTHLING_PG_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start (set EARTHLING_PG_URL to use a server)", e);
            }
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }
}

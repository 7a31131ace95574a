package io.earthling.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates a fresh database per contender on the benchmark's PostgreSQL server. */
final class PgAdmin {
    private final String adminUrl;

    /** {@code adminUrl}: a JDBC URL of any database on the server, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. */
    PgAdmin(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    /** Drops and creates {@code name}; returns its JDBC URL (same server, user and options). */
    String fresh(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        return urlOf(name);
    }

    String urlOf(String name) {
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int q = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (q < 0 ? "" : adminUrl.substring(q));
    }
}

package io.earthling.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's PostgreSQL database, made fresh on the server of an admin URL (a superuser, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), and the one fault the harness plays on it:
 * refusing connections. {@code CONNECTION LIMIT 0} does not stop a superuser, {@code ALLOW_CONNECTIONS false}
 * stops everyone, so the harness uses that and terminates the sessions already open (all but its own monitor's).
 */
public final class Pg {
    private final String adminUrl;
    private final String name;
    private final String url;

    private Pg(String adminUrl, String name, String url) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.url = url;
    }

    /** A new, empty database named after the seed (and the time, so reruns never meet an old one). */
    public static Pg fresh(String adminUrl, long seed) throws SQLException {
        String name = "earthling_faults_" + Long.toHexString(seed & Long.MAX_VALUE) + "_"
                + Long.toHexString(System.currentTimeMillis());
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int q = adminUrl.indexOf('?');
        String base = adminUrl.substring(0, adminUrl.lastIndexOf('/', q < 0 ? adminUrl.length() : q) + 1);
        return new Pg(adminUrl, name, base + name + (q < 0 ? "" : adminUrl.substring(q)));
    }

    public String name() {
        return name;
    }

    /** The run database's JDBC URL, user included. */
    public String url() {
        return url;
    }

    /** The URL with a JDBC {@code ApplicationName}, so the sessions of one process can be told apart. */
    public String url(String applicationName) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** No new session can start; every open one but {@code keepPid}'s is terminated. Returns how many were. */
    public int refuseConnections(int keepPid) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
            return (int) count(c, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                    + name + "' AND pid <> " + keepPid + " AND pid <> pg_backend_pid()");
        }
    }

    /** Terminates every open session of the run's database but {@code keepPid}'s; returns how many. */
    public int terminateSessions(int keepPid) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl)) {
            return (int) count(c, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                    + name + "' AND pid <> " + keepPid + " AND pid <> pg_backend_pid()");
        }
    }

    public void allowConnections() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
        }
    }

    /** Drops the database (after the run, when asked to keep nothing). */
    public void drop() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}

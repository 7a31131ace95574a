package io.earthling.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one contender's database, read over the benchmark's own connection to the admin database (so these
 * reads do not count against the contender): transactions from {@code pg_stat_database}, statements from
 * {@code pg_stat_statements} when the server preloads it, and the server's CPU seconds from /proc.
 *
 * <p>{@code pg_stat_database} lags: since PostgreSQL 15 a backend flushes its counts at most once a second while
 * busy and within 10 s ({@code PGSTAT_IDLE_INTERVAL}) after it goes idle; {@code pg_stat_force_next_flush()} only
 * affects the calling backend. Callers therefore let a window settle for {@link #FLUSH_SECONDS} before reading its
 * end. {@code pg_stat_statements} counts in shared memory at once.
 */
final class PgStats implements AutoCloseable {
    static final double FLUSH_SECONDS = 11;

    record Snapshot(long nanos, long xacts, Long statements, Double cpuSeconds) {
    }

    /** What happened between two snapshots; statements and cpuSeconds are null where not measurable. */
    record Window(double seconds, long xacts, Long statements, Double cpuSeconds) {
        static Window between(Snapshot a, Snapshot b) {
            return new Window((b.nanos() - a.nanos()) / 1e9, b.xacts() - a.xacts(),
                    a.statements() == null || b.statements() == null ? null : b.statements() - a.statements(),
                    a.cpuSeconds() == null || b.cpuSeconds() == null ? null : b.cpuSeconds() - a.cpuSeconds());
        }
    }

    private final Connection admin;
    private final boolean statements;
    private final PgCpu cpu;

    PgStats(String adminUrl) throws SQLException {
        admin = DriverManager.getConnection(adminUrl);
        statements = enableStatements();
        cpu = PgCpu.ofBackend(Long.parseLong(one("SELECT pg_backend_pid()")));
    }

    boolean statementsAvailable() {
        return statements;
    }

    boolean cpuAvailable() {
        return cpu != null;
    }

    private boolean enableStatements() {
        try {
            if (!one("SHOW shared_preload_libraries").contains("pg_stat_statements")) {
                return false; // see earthling-bench/bin/enable-pg-stat-statements
            }
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            one("SELECT count(*) FROM pg_stat_statements");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    Snapshot snapshot(String database) throws SQLException {
        long nanos = System.nanoTime();
        Double cpuSeconds = cpu == null ? null : cpu.seconds();
        try (Statement s = admin.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
        }
        long xacts = Long.parseLong(one("SELECT coalesce(sum(xact_commit + xact_rollback), 0) FROM pg_stat_database"
                + " WHERE datname = '" + database + "'"));
        Long calls = statements ? Long.valueOf(one("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '" + database + "')")) : null;
        return new Snapshot(nanos, xacts, calls, cpuSeconds);
    }

    /** version() and the settings the report states. */
    Map<String, String> settings() throws SQLException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("version", one("SELECT version()"));
        for (String name : new String[] {"synchronous_commit", "shared_buffers", "max_connections", "fsync",
                "shared_preload_libraries"}) {
            m.put(name, one("SHOW " + name));
        }
        return m;
    }

    private String one(String sql) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void sleepSeconds(double seconds) throws InterruptedException {
        Thread.sleep(Math.round(seconds * 1000));
    }

    @Override
    public void close() throws SQLException {
        admin.close();
    }
}

package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The core acceptance run: one manager and three assistants on 127.0.0.2-4 with three worker processes each,
 * on PostgreSQL. 3,000 jobs from the CLI and 1,000 rows inserted with plain SQL all succeed with one attempt,
 * spread over the nine workers; idle, only the manager holds connections, and the database's idle load is the same
 * with 3 workers as with 9 (a ratio of transaction counts, reported as rates in the output only).
 */
class SeedClusterOnPostgresIT {

    @Test
    void cli_jobs_and_sql_rows_all_succeed_once_on_all_nine_workers_and_idle_db_load_stays_flat() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("seed-postgres", url, 3, 3).startManager().startAssistants().awaitNodes(3);
             Connection db = DriverManager.getConnection(url)) {
            cliAndSqlJobsAllSucceedOnceOnAllWorkers(c, db);

            assertThat(Db.rows(db, "SELECT application_name, count(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1"))
                    .as("no assistant or worker holds a DB connection").allMatch(r -> r.startsWith("earthling-manager="));

            // Idle load must not grow with the workers: counted, not timed, so a busy machine cannot fail it.
            try (IdleTransactions idle = new IdleTransactions(url, db)) {
                long nine = idle.count();
                c.cluster.kill9("assistant-3");
                c.cluster.kill9("assistant-4");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> c.online().size() == 1);
                long three = idle.count();
                String report = String.format("idle DB transactions in %d s: %d with 9 workers (%.2f/s), %d with 3 (%.2f/s)%n",
                        WINDOW.toSeconds(), nine, nine / (double) WINDOW.toSeconds(), three,
                        three / (double) WINDOW.toSeconds());
                c.cluster.write("idle-db-rate.txt", report);
                System.out.print(report);
                assertThat((double) nine).as("idle transactions with 9 workers, against %d with 3", three)
                        .isLessThanOrEqualTo(FLAT * three + EDGE);
            }
        }
    }

    @Test
    void the_same_run_succeeds_on_a_cluster_secured_with_earthling_certs() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = SeedCluster.secured("seed-postgres-tls", url, 3, 3).startManager().startAssistants()
                .awaitNodes(3);
             Connection db = DriverManager.getConnection(url)) {
            cliAndSqlJobsAllSucceedOnceOnAllWorkers(c, db);
            assertThat(c.cluster.log("manager")).as("the manager serves mutual TLS").contains("TLS on as earthling:manager");
            assertThat(c.cluster.log("assistant-4")).contains("TLS on as earthling:assistant:127.0.0.4:" + c.assistantPort);
        }
    }

    /** 3,000 jobs from the CLI and 1,000 rows inserted with SQL all succeed with one attempt, on all the workers. */
    private static void cliAndSqlJobsAllSucceedOnceOnAllWorkers(SeedCluster c, Connection db) throws SQLException {
        String out = c.cli("submit", "echo", "--payload", "{\"from\": \"cli\"}", "--count", "3000");
        assertThat(out).contains("submitted 3000 jobs");
        insertBySql(db, 1000);

        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> Db.count(db, "SELECT count(*) FROM jobs WHERE state IN ('SUCCEEDED','DEAD','CANCELLED')") == 4000);

        assertThat(Db.rows(db, "SELECT state || ' x' || attempts, count(*) FROM jobs GROUP BY 1"))
                .containsExactly("SUCCEEDED x1=4000");
        assertThat(Db.count(db, "SELECT count(DISTINCT assigned_worker) FROM jobs")).isEqualTo(9);
        assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE payload LIKE '{\"sql\"%' AND result = payload")).isEqualTo(1000);

    }

    private static void insertBySql(Connection db, int n) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO jobs (type, payload) VALUES ('echo', ?)")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, "{\"sql\": " + i + "}");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Idle load is flat when 9 workers cost the database at most this many times what 3 cost. */
    private static final double FLAT = 1.5;
    /** Transactions a window's edges may cut either way (one in flight, or not yet reported, at each end). */
    private static final int EDGE = 2;
    private static final Duration WINDOW = Duration.ofSeconds(20);

    /**
     * Counts the test database's transactions ({@code pg_stat_database}) from the server's admin database, so the
     * counting itself is not counted. Before the first window the tables are vacuumed and analyzed, so autovacuum
     * (the server's work, not the manager's) has no reason to run inside a window.
     */
    private static final class IdleTransactions implements AutoCloseable {
        private final Connection admin;
        private final String database;

        IdleTransactions(String url, Connection db) throws SQLException {
            try (Statement s = db.createStatement()) {
                s.execute("VACUUM ANALYZE");
                // A server with autovacuum on (the embedded one, without EARTHLING_PG_URL) would count its workers'
                // transactions in a window: only the manager's are counted.
                for (String table : Db.rows(db, "SELECT tablename, 1 FROM pg_tables WHERE schemaname = current_schema()")) {
                    s.execute("ALTER TABLE " + table.substring(0, table.indexOf('=')) + " SET (autovacuum_enabled = false)");
                }
            }
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            database = path.substring(path.lastIndexOf('/') + 1);
            admin = DriverManager.getConnection(TestPostgres.adminUrl());
        }

        /**
         * The transactions of one idle window, once the counts of what came before have reached the statistics. What
         * a backend has not yet reported shifts across both edges alike, and {@link #EDGE} covers it.
         */
        long count() throws Exception {
            awaitSettled();
            long before = transactions();
            Thread.sleep(WINDOW.toMillis()); // a measurement window: time passing is the point
            return transactions() - before;
        }

        private long transactions() throws SQLException {
            try (Statement s = admin.createStatement()) {
                s.execute("SELECT pg_stat_clear_snapshot()");
            }
            return Db.count(admin, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '"
                    + database + "'");
        }

        /**
         * A backend reports its counts up to 10 s late once it goes idle (PostgreSQL 15+): wait until 5 s pass with
         * under 10 more, so what came before a window is not counted in it.
         */
        private void awaitSettled() {
            long[] last = {-1};
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(5)).until(() -> {
                long now = transactions();
                boolean settled = last[0] >= 0 && now - last[0] < 10;
                last[0] = now;
                return settled;
            });
        }

        @Override
        public void close() throws SQLException {
            admin.close();
        }
    }
}

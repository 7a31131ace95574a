package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The core acceptance run: one manager and three assistants on 127.0.0.2-4 with three worker processes each,
 * on PostgreSQL. 3,000 jobs from the CLI and 1,000 rows inserted with plain SQL all succeed with one attempt,
 * spread over the nine workers; idle, only the manager holds connections and the DB barely sees statements.
 */
class SeedClusterOnPostgresIT {

    @Test
    void cli_jobs_and_sql_rows_all_succeed_once_on_all_nine_workers_and_idle_db_load_stays_flat() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("seed-postgres", url, 3, 3).startManager().startAssistants().awaitNodes(3);
             Connection db = DriverManager.getConnection(url)) {
            String out = c.cli("submit", "echo", "--payload", "{\"from\": \"cli\"}", "--count", "3000");
            assertThat(out).contains("submitted 3000 jobs");
            insertBySql(db, 1000);

            Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Db.count(db, "SELECT count(*) FROM jobs WHERE state IN ('SUCCEEDED','DEAD','CANCELLED')") == 4000);

            assertThat(Db.rows(db, "SELECT state || ' x' || attempts, count(*) FROM jobs GROUP BY 1"))
                    .containsExactly("SUCCEEDED x1=4000");
            assertThat(Db.count(db, "SELECT count(DISTINCT assigned_worker) FROM jobs")).isEqualTo(9);
            assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE payload LIKE '{\"sql\"%' AND result = payload")).isEqualTo(1000);

            assertThat(Db.rows(db, "SELECT application_name, count(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1"))
                    .as("no assistant or worker holds a DB connection").allMatch(r -> r.startsWith("earthling-manager="));

            double nine = idleTransactionsPerSecond(db);
            c.cluster.kill9("assistant-3");
            c.cluster.kill9("assistant-4");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> c.online().size() == 1);
            double three = idleTransactionsPerSecond(db);
            c.cluster.write("idle-db-rate.txt", String.format("idle transactions/s with 9 workers: %.2f, with 3: %.2f%n", nine, three));
            System.out.printf("idle DB transactions/s: 9 workers %.2f, 3 workers %.2f%n", nine, three);
            assertThat(nine).as("idle rate with 9 workers").isLessThan(2.0);
            assertThat(three).as("idle rate with 3 workers").isLessThan(2.0);
        }
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

    private static final String XACTS =
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()";

    /** Transactions the database counted over 20 s of idleness, once the counts of the busy period are in. */
    private static double idleTransactionsPerSecond(Connection db) throws Exception {
        awaitStatsSettled(db);
        String q = XACTS;
        long before = Db.count(db, q);
        long t0 = System.nanoTime();
        Thread.sleep(20_000); // a measurement window: time passing is the point
        long after = Db.count(db, q);
        return (after - before - 1) / ((System.nanoTime() - t0) / 1e9);
    }

    /** Backends report their counts up to ~10 s late when they go idle; wait until 5 s pass at under 2/s. */
    private static void awaitStatsSettled(Connection db) {
        long[] last = {-1};
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(5)).until(() -> {
            long now = Db.count(db, XACTS);
            boolean settled = last[0] >= 0 && now - last[0] < 10;
            last[0] = now;
            return settled;
        });
    }
}

package io.earthling.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobState;
import io.earthling.store.StateChange;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The manager's set-based writes keep finding rows by primary key after the table grew: a plan cached while
 * {@code jobs} was small must not scan the whole table for every batch later.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresPlansIT {
    private StoreSettings settings;
    private Store store;
    private Sql sql;

    @BeforeEach
    void open() throws Exception {
        settings = PostgresDatabases.newSchema();
        store = Store.open(settings);
        sql = ((JdbcStore) store).sql();
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        PostgresDatabases.drop(settings);
    }

    @Test
    void a_batch_of_state_changes_reads_jobs_by_primary_key_after_the_table_grew_from_empty() {
        sql.autoCommit(c -> c.createStatement().execute("ANALYZE jobs"));
        // Enough executions while the table is tiny for the driver to prepare the statement on the server (5) and for
        // PostgreSQL to settle on a cached generic plan (5 more).
        for (int i = 0; i < 15; i++) {
            long id = insert(1);
            sql.inTransaction(c -> PgSetWrites.apply(c, List.of(assign(id)), 0, 32));
        }
        insert(20_000);
        long id = insert(1);

        long seqScans = sql.inTransaction(c -> {
            // The session's counts not yet flushed to the shared statistics: read before and after.
            long before = seqScans(c);
            boolean[] applied = PgSetWrites.apply(c, List.of(assign(id)), 0, 32);
            assertThat(applied).containsExactly(true);
            return seqScans(c) - before;
        });

        assertThat(seqScans).as("whole-table scans of jobs in the batch's transaction").isZero();
    }

    @Test
    void a_payload_search_reads_a_range_of_ids_by_primary_key_not_the_whole_table() {
        insert(300_000);
        sql.autoCommit(c -> c.createStatement().execute("ANALYZE jobs"));
        io.earthling.store.JobStore jobs = store.jobs();

        long t0 = System.nanoTime();
        List<io.earthling.store.StoredJob> found = jobs.list(new io.earthling.store.JobQuery(null, null, null, 0, 50,
                false, "no such text"));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        String plan = sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT id FROM jobs WHERE id > (SELECT COALESCE(MAX(id), 0)"
                    + " FROM jobs) - ? AND payload LIKE ? ESCAPE '!' ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, io.earthling.store.JobQuery.SEARCH_SCAN);
                ps.setString(2, "%no such text%");
                ps.setInt(3, 50);
                StringBuilder b = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        b.append(rs.getString(1)).append('\n');
                    }
                }
                return b.toString();
            }
        });

        assertThat(found).isEmpty();
        assertThat(plan).as("the plan of a search over 300,000 jobs, %d ms", tookMs).doesNotContain("Seq Scan on jobs")
                .contains("Index");
    }

    @Test
    void the_pooled_sessions_plan_each_execution_for_the_table_as_it_is() {
        String mode = sql.autoCommit(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SHOW plan_cache_mode")) {
                rs.next();
                return rs.getString(1);
            }
        });

        assertThat(mode).isEqualTo("force_custom_plan");
    }

    private static long seqScans(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'jobs'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Inserts {@code n} PENDING jobs and returns the last id. */
    private long insert(int n) {
        return sql.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (type) SELECT 'noop' FROM generate_series(1, ?)");
                 PreparedStatement max = c.prepareStatement("SELECT max(id) FROM jobs")) {
                ps.setInt(1, n);
                ps.executeUpdate();
                try (ResultSet rs = max.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static StateChange assign(long id) {
        return StateChange.of(id, EnumSet.of(JobState.PENDING), JobState.ASSIGNED).node("n1").event("ASSIGNED", null)
                .build();
    }
}

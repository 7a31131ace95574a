package io.earthling.store.internal;

import io.earthling.api.JobState;
import io.earthling.store.StateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * State changes on PostgreSQL as one UPDATE and one event INSERT per batch, whatever its size: every column
 * travels as an array and {@code unnest} turns them back into rows. The per-statement cost of PostgreSQL (parse,
 * plan, executor start, one round of the protocol) is then paid per batch instead of per job. Each statement
 * also names its ids as {@code j.id = ANY(ids)}: with stale statistics on a busy table the planner would otherwise
 * hash the whole table to join it with the arrays.
 */
final class PgSetWrites {
    private static final String UPDATE = "UPDATE jobs j SET state = c.state, "
            + "attempts = COALESCE(c.attempts, j.attempts), assigned_node = COALESCE(c.node, j.assigned_node), "
            + "assigned_worker = COALESCE(c.worker, j.assigned_worker), result = COALESCE(c.result, j.result), "
            + "error = COALESCE(c.error, j.error), "
            + "run_at = COALESCE(to_timestamp(c.run_at / 1000.0), j.run_at), "
            + "started_at = COALESCE(to_timestamp(c.started_at / 1000.0), j.started_at), "
            // A retried dead job is not finished any more.
            + "finished_at = CASE WHEN j.state = 'DEAD' AND c.state = 'PENDING' THEN NULL "
            + "ELSE COALESCE(to_timestamp(c.finished_at / 1000.0), j.finished_at) END, epoch = ? "
            + "FROM unnest(?::bigint[], ?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], "
            + "?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[]) "
            + "AS c(id, state, attempts, node, worker, result, error, run_at, started_at, finished_at, from_states) "
            + "WHERE j.id = ANY(?::bigint[]) AND j.id = c.id AND j.state = ANY(string_to_array(c.from_states, ',')) "
            + "RETURNING j.id";

    // Like JdbcJobStore's per-row event insert: a new assignment names its node only, not the last worker.
    private static final String INSERT_EVENTS = "INSERT INTO job_events (job_id, kind, attempt, node, worker, detail) "
            + "SELECT j.id, e.kind, COALESCE(e.attempt, j.attempts), COALESCE(e.node, j.assigned_node), "
            + "CASE WHEN e.worker IS NULL AND e.node IS NULL THEN j.assigned_worker ELSE e.worker END, e.detail "
            + "FROM unnest(?::bigint[], ?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[]) WITH ORDINALITY "
            + "AS e(id, kind, attempt, node, worker, detail, n) JOIN jobs j ON j.id = e.id WHERE j.id = ANY(?::bigint[]) "
            + "ORDER BY e.n";

    // New jobs in one statement: ids come from the identity sequence in the order of the rows, which ORDER BY fixes.
    private static final String INSERT_JOBS = "INSERT INTO jobs (queue, type, payload, priority, max_attempts, run_at, "
            + "timeout_ms, idempotency_key, routing_key, picked_up, epoch, concurrency_key, concurrency_limit) "
            + "SELECT u.queue, u.type, u.payload, u.priority, u.max_attempts, "
            + "COALESCE(to_timestamp(u.run_at / 1000.0), CURRENT_TIMESTAMP), u.timeout_ms, u.idem, u.routing, TRUE, ?, "
            + "u.ckey, u.climit FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::int[], ?::bigint[], "
            + "?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int[]) WITH ORDINALITY "
            + "AS u(queue, type, payload, priority, max_attempts, run_at, timeout_ms, idem, routing, ckey, climit, n) "
            + "ORDER BY u.n RETURNING id";

    private PgSetWrites() {
    }

    /** Inserts the rows (each field already defaulted by the caller) and returns their ids in row order. */
    static List<Long> insert(Connection c, List<Object[]> rows, long epoch) throws SQLException {
        int n = rows.size();
        String[] types = {"varchar", "varchar", "varchar", "int4", "int4", "int8", "int8", "varchar", "varchar", "varchar",
                "int4"};
        try (PreparedStatement ps = c.prepareStatement(INSERT_JOBS)) {
            ps.setLong(1, epoch);
            for (int k = 0; k < types.length; k++) {
                Object[] column = new Object[n];
                for (int i = 0; i < n; i++) {
                    column[i] = rows.get(i)[k];
                }
                ps.setArray(k + 2, c.createArrayOf(types[k], column));
            }
            List<Long> ids = new ArrayList<>(n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            ids.sort(null);
            return ids;
        }
    }

    /** Applies the changes in order; a job changed twice in one batch gets its second change in a later round. */
    static boolean[] apply(Connection c, List<StateChange> changes, long epoch, int kindLength) throws SQLException {
        boolean[] applied = new boolean[changes.size()];
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            left.add(i);
        }
        while (!left.isEmpty()) {
            List<Integer> round = new ArrayList<>();
            List<Integer> later = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (int i : left) {
                (seen.add(changes.get(i).jobId()) ? round : later).add(i);
            }
            Set<Long> done = update(c, changes, round, epoch);
            List<Integer> withEvents = new ArrayList<>();
            for (int i : round) {
                applied[i] = done.contains(changes.get(i).jobId());
                if (applied[i] && changes.get(i).event() != null) {
                    withEvents.add(i);
                }
            }
            events(c, changes, withEvents, kindLength);
            left = later;
        }
        return applied;
    }

    private static Set<Long> update(Connection c, List<StateChange> all, List<Integer> round, long epoch)
            throws SQLException {
        int n = round.size();
        Long[] ids = new Long[n];
        String[] states = new String[n];
        Integer[] attempts = new Integer[n];
        String[] nodes = new String[n];
        String[] workers = new String[n];
        String[] results = new String[n];
        String[] errors = new String[n];
        Long[] runAt = new Long[n];
        Long[] startedAt = new Long[n];
        Long[] finishedAt = new Long[n];
        String[] from = new String[n];
        for (int k = 0; k < n; k++) {
            StateChange ch = all.get(round.get(k));
            ids[k] = ch.jobId();
            states[k] = ch.to().name();
            attempts[k] = ch.attempts() < 0 ? null : ch.attempts();
            nodes[k] = ch.node();
            workers[k] = ch.worker();
            results[k] = ch.result();
            errors[k] = ch.error();
            runAt[k] = time(ch.runAtMs());
            startedAt[k] = time(ch.startedAtMs());
            finishedAt[k] = time(ch.finishedAtMs());
            from[k] = ch.from().stream().map(JobState::name).collect(Collectors.joining(","));
        }
        Set<Long> updated = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setLong(1, epoch);
            Object[][] columns = {ids, states, attempts, nodes, workers, results, errors, runAt, startedAt, finishedAt, from};
            String[] types = {"int8", "varchar", "int4", "varchar", "varchar", "varchar", "varchar", "int8", "int8", "int8",
                    "varchar"};
            for (int k = 0; k < columns.length; k++) {
                ps.setArray(k + 2, c.createArrayOf(types[k], columns[k]));
            }
            ps.setArray(columns.length + 2, c.createArrayOf("int8", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    updated.add(rs.getLong(1));
                }
            }
        }
        return updated;
    }

    private static void events(Connection c, List<StateChange> all, List<Integer> which, int kindLength)
            throws SQLException {
        if (which.isEmpty()) {
            return;
        }
        int n = which.size();
        Long[] ids = new Long[n];
        String[] kinds = new String[n];
        Integer[] attempts = new Integer[n];
        String[] nodes = new String[n];
        String[] workers = new String[n];
        String[] details = new String[n];
        for (int k = 0; k < n; k++) {
            StateChange ch = all.get(which.get(k));
            ids[k] = ch.jobId();
            kinds[k] = ch.event().length() > kindLength ? ch.event().substring(0, kindLength) : ch.event();
            attempts[k] = ch.attempts() < 0 ? null : ch.attempts();
            nodes[k] = ch.node();
            workers[k] = ch.worker();
            details[k] = ch.detail();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
            ps.setArray(1, c.createArrayOf("int8", ids));
            ps.setArray(2, c.createArrayOf("varchar", kinds));
            ps.setArray(3, c.createArrayOf("int4", attempts));
            ps.setArray(4, c.createArrayOf("varchar", nodes));
            ps.setArray(5, c.createArrayOf("varchar", workers));
            ps.setArray(6, c.createArrayOf("varchar", details));
            ps.setArray(7, c.createArrayOf("int8", ids));
            ps.executeUpdate();
        }
    }

    private static Long time(long epochMs) {
        return epochMs == 0 ? null : epochMs;
    }
}

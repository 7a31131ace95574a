package io.earthling.store.internal;

import io.earthling.api.JobState;
import io.earthling.store.StateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            + "RETURNING j.id, j.attempts, j.assigned_node, j.assigned_worker";

    // The row's values an event falls back on come back from the UPDATE itself: no join with jobs per event.
    private static final String INSERT_EVENTS = "INSERT INTO job_events (job_id, kind, attempt, node, worker, detail) "
            + "SELECT e.id, e.kind, e.attempt, e.node, e.worker, e.detail "
            + "FROM unnest(?::bigint[], ?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[]) WITH ORDINALITY "
            + "AS e(id, kind, attempt, node, worker, detail, n) ORDER BY e.n";

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
                bind(ps, k + 2, types[k], column);
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

    /**
     * Applies the changes in order. Consecutive changes of one job where each starts from the state the one before
     * ends in (ASSIGNED, then RUNNING, then SUCCEEDED) fold into one row write, so a quick job's whole run costs one
     * new row version; their events are all kept. A change that cannot follow the one before it gets a later round.
     */
    static boolean[] apply(Connection c, List<StateChange> changes, long epoch, int kindLength) throws SQLException {
        boolean[] applied = new boolean[changes.size()];
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            left.add(i);
        }
        while (!left.isEmpty()) {
            Map<Long, List<Integer>> groups = new LinkedHashMap<>();
            List<Integer> later = new ArrayList<>();
            Set<Long> deferred = new HashSet<>();
            for (int i : left) {
                StateChange ch = changes.get(i);
                List<Integer> group = groups.get(ch.jobId());
                if (deferred.contains(ch.jobId())) {
                    later.add(i);
                } else if (group == null) {
                    groups.put(ch.jobId(), new ArrayList<>(List.of(i)));
                } else if (follows(changes.get(group.get(group.size() - 1)), ch)) {
                    group.add(i);
                } else {
                    deferred.add(ch.jobId());
                    later.add(i);
                }
            }
            Map<Long, Row> done = update(c, changes, groups.values(), epoch);
            List<Integer> withEvents = new ArrayList<>();
            for (List<Integer> group : groups.values()) {
                if (done.containsKey(changes.get(group.get(0)).jobId())) {
                    for (int i : group) {
                        applied[i] = true;
                        if (changes.get(i).event() != null) {
                            withEvents.add(i);
                        }
                    }
                } else {
                    // The first move did not apply: the rest are tried one by one, as if never folded.
                    later.addAll(group.subList(1, group.size()));
                }
            }
            events(c, changes, withEvents, done, kindLength);
            later.sort(null);
            left = later;
        }
        return applied;
    }

    // Not after DEAD: the UPDATE clears finished_at for DEAD -> PENDING by the row's state before the whole group.
    private static boolean follows(StateChange before, StateChange next) {
        return before.split() == null && before.to() != JobState.DEAD && next.from().contains(before.to());
    }

    /** One change for a folded group: the first one's from states, the last one's state, each column's latest value. */
    private static StateChange folded(List<StateChange> all, List<Integer> group) {
        StateChange first = all.get(group.get(0));
        if (group.size() == 1) {
            return first;
        }
        StateChange last = all.get(group.get(group.size() - 1));
        StateChange.Builder b = StateChange.of(first.jobId(), first.from(), last.to());
        for (int i : group) {
            StateChange ch = all.get(i);
            if (ch.attempts() >= 0) {
                b.attempts(ch.attempts());
            }
            if (ch.node() != null) {
                b.node(ch.node());
            }
            if (ch.worker() != null) {
                b.worker(ch.worker());
            }
            if (ch.result() != null) {
                b.result(ch.result());
            }
            if (ch.error() != null) {
                b.error(ch.error());
            }
            if (ch.runAtMs() != 0) {
                b.runAt(ch.runAtMs());
            }
            if (ch.startedAtMs() != 0) {
                b.startedAt(ch.startedAtMs());
            }
            if (ch.finishedAtMs() != 0) {
                b.finishedAt(ch.finishedAtMs());
            }
        }
        return b.build();
    }

    /** What a job's row holds after the update, for its events. */
    private record Row(int attempts, String node, String worker) {
    }

    private static Map<Long, Row> update(Connection c, List<StateChange> all, java.util.Collection<List<Integer>> round,
                                    long epoch) throws SQLException {
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
        int k = 0;
        for (List<Integer> group : round) {
            StateChange ch = folded(all, group);
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
            k++;
        }
        Map<Long, Row> updated = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setLong(1, epoch);
            Object[][] columns = {ids, states, attempts, nodes, workers, results, errors, runAt, startedAt, finishedAt, from};
            String[] types = {"int8", "varchar", "int4", "varchar", "varchar", "varchar", "varchar", "int8", "int8", "int8",
                    "varchar"};
            for (int col = 0; col < columns.length; col++) {
                bind(ps, col + 2, types[col], columns[col]);
            }
            ps.setObject(columns.length + 2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    updated.put(rs.getLong(1), new Row(rs.getInt(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return updated;
    }

    // Like JdbcJobStore's per-row event insert: a new assignment names its node only, not the last worker.
    private static void events(Connection c, List<StateChange> all, List<Integer> which, Map<Long, Row> rows,
                               int kindLength) throws SQLException {
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
            Row row = rows.get(ch.jobId());
            attempts[k] = ch.attempts() < 0 ? row.attempts() : ch.attempts();
            nodes[k] = ch.node() != null ? ch.node() : row.node();
            workers[k] = ch.worker() == null && ch.node() == null ? row.worker() : ch.worker();
            details[k] = ch.detail();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
            ps.setObject(1, ids);
            ps.setObject(2, kinds);
            ps.setObject(3, attempts);
            ps.setObject(4, nodes);
            ps.setObject(5, workers);
            ps.setObject(6, details);
            ps.executeUpdate();
        }
    }

    /**
     * Binds a column as a typed Java array: pgjdbc then sends it in PostgreSQL's binary array format (no text to
     * build, escape and parse for every element), which {@code createArrayOf} does not.
     */
    private static void bind(PreparedStatement ps, int index, String type, Object[] values) throws SQLException {
        Object[] typed = switch (type) {
            case "int8" -> new Long[values.length];
            case "int4" -> new Integer[values.length];
            default -> new String[values.length];
        };
        System.arraycopy(values, 0, typed, 0, values.length);
        ps.setObject(index, typed);
    }

    private static Long time(long epochMs) {
        return epochMs == 0 ? null : epochMs;
    }
}

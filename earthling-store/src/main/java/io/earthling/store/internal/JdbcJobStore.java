package io.earthling.store.internal;

import io.earthling.api.JobState;
import io.earthling.store.Inserted;
import io.earthling.store.JobEvent;
import io.earthling.store.JobQuery;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.StateChange;
import io.earthling.store.StoredJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link JobStore} over JDBC: every write is one fenced transaction with one batch per statement shape. */
final class JdbcJobStore implements JobStore {
    static final int MAX_LIST = 1000;
    private static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final int KIND_LENGTH = 32;
    private static final int STATE_SLOTS = JobState.values().length;

    private static final String INSERT = "INSERT INTO jobs (queue, type, payload, priority, max_attempts, run_at, "
            + "timeout_ms, idempotency_key, routing_key, picked_up, epoch, concurrency_key, concurrency_limit) "
            + "VALUES (?, ?, ?, ?, ?, COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), CURRENT_TIMESTAMP), ?, ?, ?, TRUE, ?, ?, ?)";

    // One statement shape for every change, so a whole apply() is one batch: a NULL parameter keeps the column.
    private static final String UPDATE = "UPDATE jobs SET state = ?, "
            + "attempts = COALESCE(CAST(? AS INT), attempts), "
            + "assigned_node = COALESCE(CAST(? AS VARCHAR), assigned_node), "
            + "assigned_worker = COALESCE(CAST(? AS VARCHAR), assigned_worker), "
            + "result = COALESCE(CAST(? AS VARCHAR), result), "
            + "error = COALESCE(CAST(? AS VARCHAR), error), "
            + "run_at = COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), run_at), "
            + "started_at = COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), started_at), "
            + "finished_at = CASE WHEN state = 'DEAD' AND CAST(? AS VARCHAR) = 'PENDING' THEN NULL "
            + "ELSE COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), finished_at) END, "
            + "epoch = ? WHERE id = ? AND state IN (" + "?, ".repeat(STATE_SLOTS - 1) + "?)";

    private static final String INSERT_EVENT = "INSERT INTO job_events (job_id, kind, attempt, node, worker, detail) "
            + "SELECT id, ?, COALESCE(CAST(? AS INT), attempts), COALESCE(CAST(? AS VARCHAR), assigned_node), "
            + "CASE WHEN CAST(? AS BOOLEAN) THEN assigned_worker ELSE CAST(? AS VARCHAR) END, CAST(? AS VARCHAR) "
            + "FROM jobs WHERE id = ?";

    private final Sql sql;
    private final Fence fence;
    private final String claimSelect;
    private final Dialect dialect;
    private volatile boolean anyChildren;
    private volatile long childrenEpoch = -1;

    JdbcJobStore(Sql sql, Dialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
        this.fence = new Fence(dialect);
        this.claimSelect = "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE " + dialect.notPickedUp()
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    }

    @Override
    public List<Inserted> add(List<NewJob> jobs, long epoch) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        return sql.inTransaction(c -> {
            fence.check(c, epoch);
            return insertIn(c, dialect, jobs, epoch);
        });
    }

    /**
     * Inserts inside the caller's fenced transaction. A job whose (queue, idempotency key) exists already, in the
     * table or earlier in {@code jobs}, is not inserted: its slot gets the existing id. The manager is the only
     * writer, so reading the keys first cannot race another insert of ours.
     */
    static List<Inserted> insertIn(Connection c, Dialect dialect, List<NewJob> jobs, long epoch) throws SQLException {
        Inserted[] out = new Inserted[jobs.size()];
        // (queue, key) -> id of its job; a negative value -1-i stands for the i-th job of this batch.
        Map<String, Long> keys = new HashMap<>();
        Map<String, Long> stored = existing(c, jobs);
        List<Integer> fresh = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            NewJob j = jobs.get(i);
            if (j.idempotencyKey() == null) {
                fresh.add(i);
                continue;
            }
            String key = queue(j) + "\u0000" + j.idempotencyKey();
            Long known = keys.containsKey(key) ? keys.get(key) : stored.get(key);
            if (known == null) {
                keys.put(key, -1L - i);
                fresh.add(i);
            } else {
                keys.put(key, known);
                out[i] = new Inserted(known, false);
            }
        }
        List<NewJob> rows = fresh.stream().map(jobs::get).toList();
        List<Long> ids = dialect == Dialect.POSTGRESQL && !rows.isEmpty()
                ? PgSetWrites.insert(c, rows.stream().map(JdbcJobStore::columns).toList(), epoch)
                : insertRows(c, rows, epoch);
        if (ids.size() != rows.size()) {
            throw new SQLException("the database returned " + ids.size() + " ids for " + rows.size() + " rows");
        }
        for (int k = 0; k < fresh.size(); k++) {
            out[fresh.get(k)] = new Inserted(ids.get(k), true);
        }
        // Later duplicates within the batch point at the batch's first job with their key.
        for (int i = 0; i < out.length; i++) {
            if (!out[i].created() && out[i].id() < 0) {
                out[i] = new Inserted(out[(int) (-1L - out[i].id())].id(), false);
            }
        }
        return List.of(out);
    }

    private static String queue(NewJob j) {
        return j.queue() == null ? "default" : j.queue();
    }

    /** The stored jobs of the batch's (queue, idempotency key) pairs, by "queue NUL key": a query per 100 pairs. */
    private static Map<String, Long> existing(Connection c, List<NewJob> jobs) throws SQLException {
        List<NewJob> keyed = jobs.stream().filter(j -> j.idempotencyKey() != null).toList();
        Map<String, Long> out = new HashMap<>();
        for (int from = 0; from < keyed.size(); from += 100) {
            List<NewJob> chunk = keyed.subList(from, Math.min(keyed.size(), from + 100));
            String where = String.join(" OR ", java.util.Collections.nCopies(chunk.size(),
                    "(queue = ? AND idempotency_key = ?)"));
            try (PreparedStatement ps = c.prepareStatement("SELECT queue, idempotency_key, id FROM jobs WHERE " + where)) {
                int p = 1;
                for (NewJob j : chunk) {
                    ps.setString(p++, queue(j));
                    ps.setString(p++, j.idempotencyKey());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getLong(3));
                    }
                }
            }
        }
        return out;
    }

    /** A new job's columns as the set-based insert takes them, defaults applied. */
    private static Object[] columns(NewJob j) {
        return new Object[] {queue(j), j.type(), j.payload() == null ? "{}" : j.payload(), j.priority(),
                j.maxAttempts() > 0 ? j.maxAttempts() : DEFAULT_MAX_ATTEMPTS, j.runAtMs() == 0 ? null : j.runAtMs(),
                j.timeoutMs(), j.idempotencyKey(), j.routingKey(), j.concurrencyKey(), Math.max(1, j.concurrencyLimit())};
    }

    private static List<Long> insertRows(Connection c, List<NewJob> jobs, long epoch) throws SQLException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT, new String[] {"id"})) {
            for (NewJob j : jobs) {
                Object[] col = columns(j);
                for (int k = 0; k < 5; k++) {
                    ps.setObject(k + 1, col[k]);
                }
                Sql.setTime(ps, 6, j.runAtMs());
                ps.setLong(7, j.timeoutMs());
                ps.setString(8, j.idempotencyKey());
                ps.setString(9, j.routingKey());
                ps.setLong(10, epoch);
                ps.setString(11, j.concurrencyKey());
                ps.setInt(12, (Integer) col[10]);
                ps.addBatch();
            }
            ps.executeBatch();
            List<Long> ids = new ArrayList<>(jobs.size());
            try (ResultSet keys = ps.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                }
            }
            return ids;
        }
    }

    @Override
    public boolean[] apply(List<StateChange> changes, long epoch) {
        // A change the transition table forbids is a bug in the caller: refuse it before taking any lock.
        changes.forEach(StateChange::check);
        if (changes.isEmpty()) {
            return new boolean[0];
        }
        return sql.inTransaction(c -> {
            fence.check(c, epoch);
            boolean[] applied;
            if (dialect == Dialect.POSTGRESQL) {
                applied = PgSetWrites.apply(c, changes, epoch, KIND_LENGTH);
            } else {
                applied = update(c, changes, epoch);
                recordEvents(c, changes, applied);
            }
            if (SplitWrites.store(c, changes, applied, epoch)) {
                anyChildren = true;
            }
            if (childrenMayExist(c, epoch)) {
                ChildCounts.record(c, changes, applied);
            }
            return applied;
        });
    }

    /**
     * Whether any job has a parent: until one splits, counting parents would cost every batch a query for nothing.
     * Known per leader epoch: only the leader stores children, and a new leader looks once.
     */
    private boolean childrenMayExist(Connection c, long epoch) throws SQLException {
        if (childrenEpoch != epoch) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE parent_id IS NOT NULL LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                anyChildren = anyChildren || rs.next();
            }
            childrenEpoch = epoch;
        }
        return anyChildren;
    }

    private static boolean[] update(Connection c, List<StateChange> changes, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (StateChange ch : changes) {
                ps.setString(1, ch.to().name());
                setInt(ps, 2, ch.attempts());
                ps.setString(3, ch.node());
                ps.setString(4, ch.worker());
                ps.setString(5, ch.result());
                ps.setString(6, ch.error());
                Sql.setTime(ps, 7, ch.runAtMs());
                Sql.setTime(ps, 8, ch.startedAtMs());
                ps.setString(9, ch.to().name());
                Sql.setTime(ps, 10, ch.finishedAtMs());
                ps.setLong(11, epoch);
                ps.setLong(12, ch.jobId());
                // Unused slots repeat a from state: duplicates in IN (...) change nothing.
                Iterator<JobState> from = ch.from().iterator();
                String first = from.next().name();
                ps.setString(13, first);
                for (int i = 1; i < STATE_SLOTS; i++) {
                    ps.setString(13 + i, from.hasNext() ? from.next().name() : first);
                }
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            boolean[] applied = new boolean[changes.size()];
            for (int i = 0; i < counts.length; i++) {
                // SUCCESS_NO_INFO (-2) is not returned by H2 or pgjdbc for UPDATE batches, but would mean applied.
                applied[i] = counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO;
            }
            return applied;
        }
    }

    private static void recordEvents(Connection c, List<StateChange> changes, boolean[] applied) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            int n = 0;
            for (int i = 0; i < applied.length; i++) {
                StateChange ch = changes.get(i);
                if (!applied[i] || ch.event() == null) {
                    continue;
                }
                String kind = ch.event().length() > KIND_LENGTH ? ch.event().substring(0, KIND_LENGTH) : ch.event();
                ps.setString(1, kind);
                setInt(ps, 2, ch.attempts());
                ps.setString(3, ch.node());
                // A new assignment names its node only: the previous attempt's worker is not this event's.
                ps.setBoolean(4, ch.worker() == null && ch.node() == null);
                ps.setString(5, ch.worker());
                ps.setString(6, ch.detail());
                ps.setLong(7, ch.jobId());
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    private static void setInt(PreparedStatement ps, int i, int valueOrNegative) throws SQLException {
        if (valueOrNegative < 0) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, valueOrNegative);
        }
    }

    @Override
    public List<StoredJob> loadActive() {
        return sql.autoCommit(c -> jobs(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE picked_up = TRUE "
                + "AND state IN ('PENDING', 'ASSIGNED', 'RUNNING') ORDER BY id", List.of()));
    }

    @Override
    public List<StoredJob> loadInFlight() {
        return sql.autoCommit(c -> jobs(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE picked_up = TRUE "
                + "AND state IN ('ASSIGNED', 'RUNNING') ORDER BY id", List.of()));
    }

    @Override
    public java.util.Map<String, long[]> pendingIds() {
        return sql.autoCommit(c -> {
            java.util.Map<String, long[]> out = new java.util.LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT queue, id FROM jobs WHERE picked_up = TRUE"
                    + " AND state = 'PENDING' ORDER BY queue, priority DESC, run_at, id")) {
                ps.setFetchSize(10_000);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    String queue = null;
                    long[] ids = new long[1024];
                    int n = 0;
                    while (rs.next()) {
                        String q = rs.getString(1);
                        if (!q.equals(queue)) {
                            if (queue != null) {
                                out.put(queue, java.util.Arrays.copyOf(ids, n));
                            }
                            queue = q;
                            n = 0;
                        }
                        if (n == ids.length) {
                            ids = java.util.Arrays.copyOf(ids, n * 2);
                        }
                        ids[n++] = rs.getLong(2);
                    }
                    if (queue != null) {
                        out.put(queue, java.util.Arrays.copyOf(ids, n));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<StoredJob> claimExternal(int limit, long epoch) {
        if (limit <= 0) {
            return List.of();
        }
        return sql.inTransaction(c -> {
            fence.check(c, epoch);
            List<StoredJob> claimed = jobs(c, claimSelect, List.of(limit));
            if (claimed.isEmpty()) {
                return claimed;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET picked_up = TRUE, epoch = ? WHERE id = ?")) {
                for (StoredJob j : claimed) {
                    ps.setLong(1, epoch);
                    ps.setLong(2, j.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<StoredJob> result = new ArrayList<>(claimed.size());
            for (StoredJob j : claimed) {
                result.add(Rows.withEpoch(j, epoch));
            }
            return result;
        });
    }

    @Override
    public Optional<StoredJob> get(long id) {
        return sql.autoCommit(c -> jobs(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ?", List.of(id)))
                .stream().findFirst();
    }

    @Override
    public Optional<Long> parentOf(long id) {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT parent_id FROM jobs WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Long>empty();
                    }
                    long parent = rs.getLong(1);
                    return rs.wasNull() ? Optional.<Long>empty() : Optional.of(parent);
                }
            }
        });
    }

    @Override
    public List<StoredJob> get(java.util.Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        List<StoredJob> out = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            out.addAll(sql.autoCommit(c -> jobs(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id IN (" + marks + ")",
                    chunk)));
        }
        return out;
    }

    @Override
    public Optional<StoredJob> byIdempotencyKey(String queue, String key) {
        return sql.autoCommit(c -> jobs(c, "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE queue = ? AND idempotency_key = ?",
                List.of(queue, key))).stream().findFirst();
    }

    @Override
    public List<StoredJob> list(JobQuery query) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (query.state() != null) {
            where.append(" AND state = ?");
            args.add(query.state().name());
        }
        if (query.queue() != null) {
            where.append(" AND queue = ?");
            args.add(query.queue());
        }
        if (query.type() != null) {
            where.append(" AND type = ?");
            args.add(query.type());
        }
        if (!query.internal()) {
            where.append(" AND type <> 'pipeline-pass' AND (type <> 'pipeline' OR parent_id IS NULL)");
        }
        if (query.beforeId() > 0) {
            where.append(" AND id < ?");
            args.add(query.beforeId());
        }
        if (query.search() != null) {
            // A bounded range of ids (by primary key), then the text: a search never reads the whole table.
            if (query.beforeId() > 0) {
                where.append(" AND id >= ?");
                args.add(query.beforeId() - JobQuery.SEARCH_SCAN);
            } else {
                where.append(" AND id > (SELECT COALESCE(MAX(id), 0) FROM jobs) - ?");
                args.add(JobQuery.SEARCH_SCAN);
            }
            where.append(" AND payload LIKE ? ESCAPE '!'");
            args.add("%" + likeLiteral(query.search()) + "%");
        }
        int limit = query.limit() <= 0 || query.limit() > MAX_LIST ? MAX_LIST : query.limit();
        args.add(limit);
        String text = "SELECT " + Rows.JOB_COLUMNS + " FROM jobs"
                + (where.length() == 0 ? "" : " WHERE" + where.substring(4)) + " ORDER BY id DESC LIMIT ?";
        return sql.autoCommit(c -> jobs(c, text, args));
    }

    /** {@code text} as a LIKE pattern that matches only itself ('!' escapes). */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static final int DELETE_CHUNK = 500;
    private static final String FINAL_STATES = "'SUCCEEDED', 'DEAD', 'CANCELLED'";

    @Override
    public List<Long> deleteFinished(java.util.Collection<Long> ids, long epoch) {
        List<Long> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        List<Long> deleted = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += DELETE_CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + DELETE_CHUNK));
            deleted.addAll(sql.inTransaction(c -> {
                fence.check(c, epoch);
                return deleteIn(c, chunk);
            }));
        }
        return deleted;
    }

    /**
     * Deletes the final jobs of {@code ids} whose parent (if any) no longer waits for them, then their events and logs.
     * The manager's writer is the only one that changes jobs, so nothing moves between the read and the delete; the
     * delete checks the state again all the same.
     */
    private static List<Long> deleteIn(Connection c, List<Long> ids) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        List<Long> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT j.id FROM jobs j WHERE j.id IN (" + marks + ") AND j.state IN ("
                + FINAL_STATES + ") AND NOT EXISTS (SELECT 1 FROM jobs p WHERE p.id = j.parent_id AND p.state IN "
                + "('WAITING', 'GATHERING')) ORDER BY j.id")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        }
        if (found.isEmpty()) {
            return found;
        }
        String some = String.join(", ", java.util.Collections.nCopies(found.size(), "?"));
        List<Long> deleted = new ArrayList<>(found.size());
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ? AND state IN (" + FINAL_STATES + ")")) {
            for (long id : found) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                    deleted.add(found.get(i));
                }
            }
        }
        for (String table : List.of("job_events", "job_logs")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE job_id IN (" + some + ")")) {
                for (int i = 0; i < found.size(); i++) {
                    ps.setLong(i + 1, found.get(i));
                }
                ps.executeUpdate();
            }
        }
        return deleted;
    }

    @Override
    public List<JobEvent> events(long jobId) {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + Rows.EVENT_COLUMNS + " FROM job_events WHERE job_id = ? ORDER BY id")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<JobEvent> events = new ArrayList<>();
                    while (rs.next()) {
                        events.add(Rows.event(rs));
                    }
                    return events;
                }
            }
        });
    }

    @Override
    public List<JobEvent> recentEvents(int limit) {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + Rows.EVENT_COLUMNS + " FROM job_events ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<JobEvent> events = new ArrayList<>();
                    while (rs.next()) {
                        events.add(Rows.event(rs));
                    }
                    return events;
                }
            }
        });
    }

    @Override
    public List<JobEvent> recentEvents(int limit, java.util.Set<String> kinds, int scan) {
        if (kinds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(kinds.size(), "?"));
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.EVENT_COLUMNS + " FROM (SELECT id, "
                    + Rows.EVENT_COLUMNS + " FROM job_events ORDER BY id DESC LIMIT ?) newest WHERE kind IN (" + marks
                    + ") ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                ps.setInt(i++, scan);
                for (String k : kinds) {
                    ps.setString(i++, k);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<JobEvent> events = new ArrayList<>();
                    while (rs.next()) {
                        events.add(Rows.event(rs));
                    }
                    return events;
                }
            }
        });
    }

    @Override
    public List<io.earthling.store.FinishedJob> finished(JobState state, long afterId, int limit) {
        if (!state.isFinal()) {
            throw new IllegalArgumentException(state + " is not a final state");
        }
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, queue, parent_id, created_at, finished_at FROM jobs"
                    + " WHERE state = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setString(1, state.name());
                ps.setLong(2, afterId);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<io.earthling.store.FinishedJob> out = new ArrayList<>();
                    while (rs.next()) {
                        java.time.OffsetDateTime finished = rs.getObject(5, java.time.OffsetDateTime.class);
                        out.add(new io.earthling.store.FinishedJob(rs.getLong(1), state, rs.getString(2), rs.getLong(3),
                                Sql.millis(rs.getObject(4, java.time.OffsetDateTime.class)),
                                finished == null ? Sql.millis(rs.getObject(4, java.time.OffsetDateTime.class)) : Sql.millis(finished)));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public Map<Long, Long> children(java.util.Collection<Long> parentIds) {
        Map<Long, Long> out = new java.util.LinkedHashMap<>();
        if (parentIds.isEmpty()) {
            return out;
        }
        List<Long> parents = List.copyOf(parentIds);
        for (int from = 0; from < parents.size(); from += DELETE_CHUNK) {
            List<Long> chunk = parents.subList(from, Math.min(parents.size(), from + DELETE_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            out.putAll(sql.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, parent_id FROM jobs WHERE parent_id IN (" + marks + ") ORDER BY id")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setLong(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        Map<Long, Long> ids = new java.util.LinkedHashMap<>();
                        while (rs.next()) {
                            ids.put(rs.getLong(1), rs.getLong(2));
                        }
                        return ids;
                    }
                }
            }));
        }
        return out;
    }

    @Override
    public long maxId() {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM jobs");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public Map<JobState, Long> countByState() {
        return sql.autoCommit(c -> {
            Map<JobState, Long> counts = new EnumMap<>(JobState.class);
            for (JobState s : JobState.values()) {
                counts.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM jobs GROUP BY state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(JobState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    private static List<StoredJob> jobs(Connection c, String text, List<?> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(text)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredJob> jobs = new ArrayList<>();
                while (rs.next()) {
                    jobs.add(Rows.job(rs));
                }
                return jobs;
            }
        }
    }
}

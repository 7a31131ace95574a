package io.earthling.store.internal;

import io.earthling.api.JobState;
import io.earthling.api.Split;
import io.earthling.store.NewJob;
import io.earthling.store.SplitStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link SplitStore} over JDBC; its queries go by the (state, id) and (parent_id, id) indexes. */
final class JdbcSplitStore implements SplitStore {
    private static final String PARENT_COLUMNS = "id, queue, state, children_left, children_failed, gather_type, "
            + "child_policy, payload, priority";
    private static final String CHILD_COLUMNS = "id, state, result, error";
    private static final String NOT_FINAL = "('PENDING', 'ASSIGNED', 'RUNNING', 'WAITING', 'GATHERING')";

    private final Sql sql;
    private final Fence fence;

    JdbcSplitStore(Sql sql, Dialect dialect) {
        this.sql = sql;
        this.fence = new Fence(dialect);
    }

    @Override
    public List<Parent> ready(int limit) {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PARENT_COLUMNS + " FROM jobs "
                    + "WHERE state IN ('WAITING', 'GATHERING') AND (children_left <= 0 OR (state = 'WAITING' "
                    + "AND children_failed > 0 AND child_policy = 'FAIL_FAST')) ORDER BY id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Parent> out = new ArrayList<>();
                    while (rs.next()) {
                        String policy = rs.getString(7);
                        out.add(new Parent(rs.getLong(1), rs.getString(2), JobState.valueOf(rs.getString(3)),
                                rs.getInt(4), rs.getInt(5), rs.getString(6),
                                policy == null ? Split.OnChildFailure.FAIL_FAST : Split.OnChildFailure.valueOf(policy),
                                rs.getString(8), rs.getInt(9)));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public int depth(long jobId, int limit) {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT parent_id FROM jobs WHERE id = ?")) {
                int depth = 0;
                for (long id = jobId; depth <= limit; depth++) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return depth;
                        }
                        id = rs.getLong(1);
                        if (rs.wasNull()) {
                            return depth;
                        }
                    }
                }
                return depth;
            }
        });
    }

    @Override
    public boolean anyInProgress() {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE state IN ('WAITING', 'GATHERING') "
                    + "ORDER BY id LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public List<Child> children(long parentId, long afterId, int limit) {
        return sql.autoCommit(c -> children(c, "SELECT " + CHILD_COLUMNS + " FROM jobs WHERE parent_id = ? "
                + "AND NOT gather_job AND id > ? ORDER BY id LIMIT ?", parentId, afterId, limit));
    }

    @Override
    public Optional<Child> firstFailed(long parentId) {
        return sql.autoCommit(c -> children(c, "SELECT " + CHILD_COLUMNS + " FROM jobs WHERE parent_id = ? "
                + "AND NOT gather_job AND state IN ('DEAD', 'CANCELLED') ORDER BY id LIMIT 1", parentId))
                .stream().findFirst();
    }

    @Override
    public Optional<Child> gatherJob(long parentId) {
        return sql.autoCommit(c -> children(c, "SELECT " + CHILD_COLUMNS + " FROM jobs WHERE parent_id = ? "
                + "AND gather_job ORDER BY id DESC LIMIT 1", parentId)).stream().findFirst();
    }

    @Override
    public long[] childCounts(long parentId) {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(CASE WHEN state IN "
                    + "('SUCCEEDED', 'DEAD', 'CANCELLED') THEN 1 ELSE 0 END), 0) FROM jobs WHERE parent_id = ? "
                    + "AND NOT gather_job")) {
                ps.setLong(1, parentId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            }
        });
    }

    @Override
    public List<Long> unfinished(long parentId, long afterId, int limit) {
        return sql.autoCommit(c -> children(c, "SELECT " + CHILD_COLUMNS + " FROM jobs WHERE parent_id = ? "
                + "AND state IN " + NOT_FINAL + " AND id > ? ORDER BY id LIMIT ?", parentId, afterId, limit))
                .stream().map(Child::id).toList();
    }

    @Override
    public boolean startGather(long parentId, NewJob gather, long epoch) {
        return sql.inTransaction(c -> {
            fence.check(c, epoch);
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = 'GATHERING', children_left = 1, "
                    + "epoch = ? WHERE id = ? AND state = 'WAITING'")) {
                ps.setLong(1, epoch);
                ps.setLong(2, parentId);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (queue, type, payload, priority, "
                    + "max_attempts, parent_id, gather_job, picked_up, epoch) VALUES (?, ?, ?, ?, ?, ?, TRUE, FALSE, ?)")) {
                ps.setString(1, gather.queue());
                ps.setString(2, gather.type());
                ps.setString(3, gather.payload());
                ps.setInt(4, gather.priority());
                ps.setInt(5, gather.maxAttempts() > 0 ? gather.maxAttempts() : 3);
                ps.setLong(6, parentId);
                ps.setLong(7, epoch);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_events (job_id, kind, detail) "
                    + "VALUES (?, 'GATHERING', ?)")) {
                ps.setLong(1, parentId);
                ps.setString(2, "every child is final; gather job of type " + gather.type() + " created");
                ps.executeUpdate();
            }
            return true;
        });
    }

    private static List<Child> children(Connection c, String text, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(text)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Child> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Child(rs.getLong(1), JobState.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4)));
                }
                return out;
            }
        }
    }
}

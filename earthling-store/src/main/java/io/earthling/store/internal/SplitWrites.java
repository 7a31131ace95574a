package io.earthling.store.internal;

import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.Split;
import io.earthling.store.SplitPlan;
import io.earthling.store.StateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inside {@code apply}'s transaction: stores the children of each parent that moved to WAITING with a split,
 * {@value #BATCH} rows per statement batch. Children are left for the manager's sweep to pick up (picked_up =
 * FALSE), so they reach its ready queues a page at a time however many there are.
 */
final class SplitWrites {
    static final int BATCH = 1000;
    private static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final String INSERT = "INSERT INTO jobs (queue, type, payload, priority, max_attempts, parent_id, "
            + "picked_up, epoch) VALUES (?, ?, ?, ?, ?, ?, FALSE, ?)";
    // A parent split again (an operator retried it) starts afresh: its earlier children and gather are let go.
    private static final String DETACH = "UPDATE jobs SET parent_id = NULL WHERE parent_id = ?";
    private static final String PARK = "UPDATE jobs SET children_left = ?, children_failed = 0, gather_type = ?, "
            + "child_policy = ?, result = NULL WHERE id = ?";

    private SplitWrites() {
    }

    /** Returns true if it stored a split. */
    static boolean store(Connection c, List<StateChange> changes, boolean[] applied, long epoch) throws SQLException {
        boolean stored = false;
        for (int i = 0; i < applied.length; i++) {
            StateChange ch = changes.get(i);
            if (applied[i] && ch.split() != null && ch.to() == JobState.WAITING) {
                store(c, ch.jobId(), ch.split(), epoch);
                stored = true;
            }
        }
        return stored;
    }

    private static void store(Connection c, long parent, SplitPlan plan, long epoch) throws SQLException {
        Split s = plan.split();
        try (PreparedStatement ps = c.prepareStatement(DETACH)) {
            ps.setLong(1, parent);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(PARK)) {
            ps.setInt(1, s.size());
            ps.setString(2, s.gatherType());
            ps.setString(3, s.onChildFailure().name());
            ps.setLong(4, parent);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int pending = 0;
            for (int i = 0; i < s.size(); i++) {
                JobSpec listed = i < s.children().size() ? s.children().get(i) : null;
                boolean ownQueue = listed != null && !"default".equals(listed.queue());
                ps.setString(1, ownQueue ? listed.queue() : plan.parentQueue());
                ps.setString(2, listed != null ? listed.type() : s.indexedType());
                ps.setString(3, listed != null ? listed.payload() : s.indexedPayload(i - s.children().size()));
                ps.setInt(4, listed != null ? listed.priority() : 0);
                ps.setInt(5, listed != null && listed.maxAttempts() > 0 ? listed.maxAttempts() : DEFAULT_MAX_ATTEMPTS);
                ps.setLong(6, parent);
                ps.setLong(7, epoch);
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }
}

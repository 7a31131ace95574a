package io.earthling.store.internal;

import io.earthling.api.JobState;
import io.earthling.store.StateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inside {@code apply}'s transaction: a child that became final counts down its parent's children_left (and up
 * children_failed if it ended DEAD or CANCELLED); a dead child retried counts back. One query finds the parents of
 * a batch's jobs, so jobs without a parent cost one indexed lookup per thousand.
 */
final class ChildCounts {
    private static final int CHUNK = 1000;
    private static final String UPDATE = "UPDATE jobs SET children_left = children_left + ?, "
            + "children_failed = children_failed + ? WHERE id = ?";

    private ChildCounts() {
    }

    static void record(Connection c, List<StateChange> changes, boolean[] applied) throws SQLException {
        Map<Long, int[]> byChild = new HashMap<>();
        for (int i = 0; i < applied.length; i++) {
            StateChange ch = changes.get(i);
            if (!applied[i]) {
                continue;
            }
            boolean failed = ch.to() == JobState.DEAD || ch.to() == JobState.CANCELLED;
            if (ch.to().isFinal()) {
                byChild.merge(ch.jobId(), new int[] {-1, failed ? 1 : 0}, ChildCounts::add);
            } else if (ch.to() == JobState.PENDING && ch.from().equals(Set.of(JobState.DEAD))) {
                byChild.merge(ch.jobId(), new int[] {1, -1}, ChildCounts::add);
            }
        }
        if (byChild.isEmpty()) {
            return;
        }
        Map<Long, int[]> byParent = parents(c, byChild);
        if (byParent.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (Map.Entry<Long, int[]> e : byParent.entrySet()) {
                ps.setInt(1, e.getValue()[0]);
                ps.setInt(2, e.getValue()[1]);
                ps.setLong(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Map<Long, int[]> parents(Connection c, Map<Long, int[]> byChild) throws SQLException {
        Map<Long, int[]> byParent = new HashMap<>();
        List<Long> ids = List.copyOf(byChild.keySet());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String text = "SELECT id, parent_id FROM jobs WHERE parent_id IS NOT NULL AND id IN ("
                    + "?, ".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement(text)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byParent.merge(rs.getLong(2), byChild.get(rs.getLong(1)).clone(), ChildCounts::add);
                    }
                }
            }
        }
        return byParent;
    }

    private static int[] add(int[] a, int[] b) {
        return new int[] {a[0] + b[0], a[1] + b[1]};
    }
}

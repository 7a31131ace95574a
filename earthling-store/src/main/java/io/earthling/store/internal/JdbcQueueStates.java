package io.earthling.store.internal;

import io.earthling.store.QueueStates;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;
import java.util.TreeSet;

/** {@link QueueStates} in the {@code queue_state} table. */
final class JdbcQueueStates implements QueueStates {
    private final Sql sql;
    private final Fence fence;

    JdbcQueueStates(Sql sql, Dialect dialect) {
        this.sql = sql;
        this.fence = new Fence(dialect);
    }

    @Override
    public Set<String> paused() {
        return sql.autoCommit(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT queue FROM queue_state WHERE paused = TRUE");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public void setPaused(String queue, boolean paused, long epoch) {
        sql.inTransaction(c -> {
            fence.check(c, epoch);
            // Only the leader writes here, and the fence above holds the lease row: no concurrent insert.
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE queue_state SET paused = ?, changed_at = CURRENT_TIMESTAMP WHERE queue = ?")) {
                up.setBoolean(1, paused);
                up.setString(2, queue);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement in = c.prepareStatement("INSERT INTO queue_state (queue, paused) VALUES (?, ?)")) {
                        in.setString(1, queue);
                        in.setBoolean(2, paused);
                        in.executeUpdate();
                    }
                }
            }
            return null;
        });
    }
}

package io.earthling.store.internal;

import io.earthling.store.FencedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fencing check (docs/architecture.md, "Fencing"): inside the writer's transaction, lock the lease row and compare epochs. Holding
 * the row lock until commit means a takeover's UPDATE waits for this write, so no write of an old epoch can
 * commit after a new leader took over.
 */
final class Fence {
    private final String sql;

    Fence(Dialect dialect) {
        this.sql = "SELECT epoch FROM manager_lease WHERE name = 'leader' " + dialect.fenceLock();
    }

    void check(Connection c, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the manager_lease row 'leader' is missing");
            }
            long current = rs.getLong(1);
            if (current != epoch) {
                throw new FencedException(epoch, current);
            }
        }
    }
}

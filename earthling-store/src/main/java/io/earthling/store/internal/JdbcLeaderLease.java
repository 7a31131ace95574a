package io.earthling.store.internal;

import io.earthling.store.LeaderLease;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code manager_lease} row. Expiry is computed and compared by the database clock only, so managers with
 * skewed clocks still agree on who leads.
 */
final class JdbcLeaderLease implements LeaderLease {
    // Written so that H2 and PostgreSQL both accept it: bigint millis times a one-millisecond interval.
    private static final String EXPIRY = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    // Every fresh holding bumps the epoch, even for the same holder name: a restarted manager must fence out
    // its previous incarnation, which may still be writing.
    private static final String ACQUIRE = "UPDATE manager_lease SET holder = ?, epoch = epoch + 1, expires_at = "
            + EXPIRY + " WHERE name = 'leader' AND (holder IS NULL OR holder = ? OR expires_at <= CURRENT_TIMESTAMP)";

    private static final String RENEW = "UPDATE manager_lease SET expires_at = " + EXPIRY
            + " WHERE name = 'leader' AND holder = ? AND epoch = ?";

    private static final String RELEASE = "UPDATE manager_lease SET expires_at = "
            + "TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00' WHERE name = 'leader' AND holder = ? AND epoch = ?";

    private static final String CURRENT = "SELECT holder, epoch FROM manager_lease "
            + "WHERE name = 'leader' AND holder IS NOT NULL AND expires_at > CURRENT_TIMESTAMP";

    private static final String HOLDING = "SELECT holder, epoch, expires_at, CURRENT_TIMESTAMP FROM manager_lease "
            + "WHERE name = 'leader' AND holder IS NOT NULL AND expires_at > CURRENT_TIMESTAMP";

    /** PostgreSQL's "lock_not_available": the takeover's lock timeout ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final Sql sql;
    private final Dialect dialect;

    JdbcLeaderLease(Sql sql, Dialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
    }

    @Override
    public OptionalLong tryAcquire(String holder, Duration ttl) {
        return sql.inTransaction(c -> {
            if (dialect.beforeTakeover() != null) {
                try (Statement s = c.createStatement()) {
                    s.execute(dialect.beforeTakeover());
                }
            }
            try (PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
                ps.setString(1, holder);
                ps.setLong(2, ttl.toMillis());
                ps.setString(3, holder);
                if (ps.executeUpdate() == 0) {
                    return OptionalLong.empty();
                }
            } catch (SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    // A write still holds the row after the lock timeout: not ours this time; the caller asks again.
                    c.rollback();
                    return OptionalLong.empty();
                }
                throw e;
            }
            // Our UPDATE holds the row lock, so this reads the epoch we just wrote.
            try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM manager_lease WHERE name = 'leader'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        });
    }

    @Override
    public boolean renew(String holder, long epoch, Duration ttl) {
        // Still renewable after expiry if nobody took over: the epoch is unchanged, so no other leader wrote.
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(RENEW)) {
                ps.setLong(1, ttl.toMillis());
                ps.setString(2, holder);
                ps.setLong(3, epoch);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(String holder, long epoch) {
        sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(RELEASE)) {
                ps.setString(1, holder);
                ps.setLong(2, epoch);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Holding> holding() {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(HOLDING); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long expires = rs.getObject(3, OffsetDateTime.class).toInstant().toEpochMilli();
                long now = rs.getObject(4, OffsetDateTime.class).toInstant().toEpochMilli();
                return Optional.of(new Holding(rs.getString(1), rs.getLong(2), Math.max(0, expires - now)));
            }
        });
    }

    @Override
    public Optional<Holder> current() {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(CURRENT); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Holder(rs.getString(1), rs.getLong(2))) : Optional.empty();
            }
        });
    }
}

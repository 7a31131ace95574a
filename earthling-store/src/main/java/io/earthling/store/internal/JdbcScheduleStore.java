package io.earthling.store.internal;

import io.earthling.store.Inserted;
import io.earthling.store.NewJob;
import io.earthling.store.ScheduleStore;
import io.earthling.store.StoredSchedule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@link ScheduleStore} over JDBC; every write is one fenced transaction. */
final class JdbcScheduleStore implements ScheduleStore {
    private static final String COLUMNS = "name, cron, time_zone, queue, type, payload, priority, max_attempts, origin, "
            + "last_tick_ms";
    private static final String INSERT = "INSERT INTO schedules (" + COLUMNS + ", epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE schedules SET cron = ?, time_zone = ?, queue = ?, type = ?, payload = ?, "
            + "priority = ?, max_attempts = ?, epoch = ? WHERE name = ?";

    private final Sql sql;
    private final Fence fence;
    private final Dialect dialect;

    JdbcScheduleStore(Sql sql, Dialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
        this.fence = new Fence(dialect);
    }

    @Override
    public List<StoredSchedule> all() {
        return sql.autoCommit(c -> select(c, "SELECT " + COLUMNS + " FROM schedules ORDER BY name", null));
    }

    @Override
    public Optional<StoredSchedule> get(String name) {
        return sql.autoCommit(c -> select(c, "SELECT " + COLUMNS + " FROM schedules WHERE name = ?", name))
                .stream().findFirst();
    }

    @Override
    public boolean create(StoredSchedule s, long epoch) {
        return sql.inTransaction(c -> {
            fence.check(c, epoch);
            if (!select(c, "SELECT " + COLUMNS + " FROM schedules WHERE name = ?", s.name()).isEmpty()) {
                return false;
            }
            insert(c, s, epoch);
            return true;
        });
    }

    @Override
    public boolean delete(String name, long epoch) {
        return sql.inTransaction(c -> {
            fence.check(c, epoch);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void syncConfig(List<StoredSchedule> fromConfig, long epoch) {
        sql.inTransaction(c -> {
            fence.check(c, epoch);
            Map<String, StoredSchedule> stored = select(c, "SELECT " + COLUMNS + " FROM schedules", null).stream()
                    .collect(Collectors.toMap(StoredSchedule::name, Function.identity()));
            for (StoredSchedule s : fromConfig) {
                StoredSchedule old = stored.remove(s.name());
                if (old == null) {
                    insert(c, s, epoch);
                } else if (!old.sameDefinition(s)) {
                    update(c, s, epoch);
                }
            }
            for (StoredSchedule gone : stored.values()) {
                if (gone.origin().equals("config")) {
                    delete(c, gone.name());
                }
            }
            return null;
        });
    }

    @Override
    public OptionalLong fire(String name, long expectedLastTickMs, long tickMs, NewJob job, long epoch) {
        return sql.inTransaction(c -> {
            fence.check(c, epoch);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE schedules SET last_tick_ms = ?, epoch = ? WHERE name = ? AND last_tick_ms = ?")) {
                ps.setLong(1, tickMs);
                ps.setLong(2, epoch);
                ps.setString(3, name);
                ps.setLong(4, expectedLastTickMs);
                if (ps.executeUpdate() == 0) {
                    return OptionalLong.empty();
                }
            }
            Inserted tickJob = JdbcJobStore.insertIn(c, dialect, List.of(job), epoch).get(0);
            return tickJob.created() ? OptionalLong.of(tickJob.id()) : OptionalLong.empty();
        });
    }

    private static void insert(Connection c, StoredSchedule s, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, s.name());
            ps.setString(2, s.cron());
            ps.setString(3, s.timeZone());
            ps.setString(4, s.queue());
            ps.setString(5, s.type());
            ps.setString(6, s.payload());
            ps.setInt(7, s.priority());
            ps.setInt(8, s.maxAttempts());
            ps.setString(9, s.origin());
            ps.setLong(10, s.lastTickMs());
            ps.setLong(11, epoch);
            ps.executeUpdate();
        }
    }

    private static void update(Connection c, StoredSchedule s, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setString(1, s.cron());
            ps.setString(2, s.timeZone());
            ps.setString(3, s.queue());
            ps.setString(4, s.type());
            ps.setString(5, s.payload());
            ps.setInt(6, s.priority());
            ps.setInt(7, s.maxAttempts());
            ps.setLong(8, epoch);
            ps.setString(9, s.name());
            ps.executeUpdate();
        }
    }

    private static void delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    private static List<StoredSchedule> select(Connection c, String text, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(text)) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredSchedule> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new StoredSchedule(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getString(9), rs.getLong(10)));
                }
                return out;
            }
        }
    }
}

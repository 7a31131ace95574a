package io.earthling.store.internal;

import io.earthling.store.NodeRoster;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;

/** The {@code node_roster} row: node ids separated by spaces (a node id is host:port). */
final class JdbcNodeRoster implements NodeRoster {
    private static final int MAX_CHARS = 100_000;
    private final Sql sql;

    JdbcNodeRoster(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void save(long epoch, List<String> nodeIds) {
        String text = String.join(" ", nodeIds);
        String nodes = text.length() <= MAX_CHARS ? text : text.substring(0, text.lastIndexOf(' ', MAX_CHARS));
        sql.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE node_roster SET epoch = ?, nodes = ? WHERE name = 'leader' AND epoch <= ?")) {
                ps.setLong(1, epoch);
                ps.setString(2, nodes);
                ps.setLong(3, epoch);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<String> load() {
        return sql.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT nodes FROM node_roster WHERE name = 'leader'");
                 ResultSet rs = ps.executeQuery()) {
                String nodes = rs.next() ? rs.getString(1) : "";
                return nodes == null || nodes.isBlank() ? List.of() : Arrays.asList(nodes.trim().split(" "));
            }
        });
    }
}

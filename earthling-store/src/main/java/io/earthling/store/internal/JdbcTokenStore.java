package io.earthling.store.internal;

import io.earthling.store.StoredToken;
import io.earthling.store.TokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@link TokenStore} over the {@code api_tokens} table. */
final class JdbcTokenStore implements TokenStore {
    private static final String COLUMNS = "name, digest, roles, created_ms, expires_ms, revoked_ms";
    private final Sql sql;

    JdbcTokenStore(Sql sql) {
        this.sql = sql;
    }

    @Override
    public boolean create(StoredToken t) {
        return sql.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_tokens WHERE name = ? AND revoked_ms <> 0")) {
                ps.setString(1, t.name());
                ps.executeUpdate();
            }
            if (exists(c, t.name())) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, t.name());
                ps.setString(2, t.digest());
                ps.setString(3, String.join(",", t.roles()));
                ps.setLong(4, t.createdMs());
                ps.setLong(5, t.expiresMs());
                ps.setLong(6, t.revokedMs());
                ps.executeUpdate();
            }
            return true;
        });
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_tokens WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public List<StoredToken> all() {
        return sql.autoCommit(c -> {
            List<StoredToken> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String roles = rs.getString(3);
                    out.add(new StoredToken(rs.getString(1), rs.getString(2).trim(),
                            roles.isBlank() ? List.of() : Arrays.asList(roles.split(",")), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
            return out;
        });
    }

    @Override
    public boolean revoke(String name, long atMs) {
        return sql.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_ms = ? WHERE name = ? AND revoked_ms = 0")) {
                ps.setLong(1, Math.max(1, atMs));
                ps.setString(2, name);
                return ps.executeUpdate() > 0;
            }
        });
    }
}

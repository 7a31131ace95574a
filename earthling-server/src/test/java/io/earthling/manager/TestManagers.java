package io.earthling.manager;

import io.earthling.assistant.AssistantSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Settings for in-process managers and assistants, and fresh databases: an H2 file, or a PostgreSQL schema on
 * the server of {@code EARTHLING_PG_URL} (CI), else on an embedded PostgreSQL. Never skipped.
 */
final class TestManagers {
    private static String pgBase;

    private TestManagers() {
    }

    static ManagerSettings manager(int port, String storeUrl) {
        // Lease of 3 s: a restarted manager on the same DB takes over within seconds, and a leader on a busy 2-core
        // build machine is not made to step down by a one-second stall of its lease thread (1 s leases were).
        return new ManagerSettings("127.0.0.1", port, storeUrl, null, null, 2, 200, 3_000, 2_000, 500, 3_000,
                1 << 20, 10_000, 0, 0, 1.0, java.util.Map.of(), java.util.Map.of());
    }

    static AssistantSettings assistant(int port, int managerPort, int threads) {
        return new AssistantSettings("127.0.0.1", port, List.of(), threads, List.of("127.0.0.1:" + managerPort), 200,
                List.of(), List.of(), null, 1);
    }

    static String h2(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    }

    static synchronized String postgres() throws SQLException {
        if (pgBase == null) {
            String env = System.getenv("EARTHLING_PG_URL");
            pgBase = env != null && !env.isBlank() ? env : embedded();
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(pgBase); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return pgBase + (pgBase.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String embedded() {
        try {
            return EmbeddedPostgres.builder().start().getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL (set EARTHLING_PG_URL)", e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

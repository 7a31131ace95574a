package io.earthling.store.internal;

import io.earthling.store.ExternalInserts;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on its own connection, outside the pool: a pooled connection would be handed to other work and lose
 * the subscription. The trigger from migration V2 NOTIFYs {@value #CHANNEL} for rows inserted with
 * picked_up = false. Meant for one waiting thread; {@link #close()} may come from any thread.
 */
final class PgExternalInserts implements ExternalInserts {
    static final String CHANNEL = "earthling_jobs";
    private static final Logger log = LoggerFactory.getLogger(PgExternalInserts.class);

    private final String url;
    private final Properties props;
    private final String shownUrl;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Connection connection;

    PgExternalInserts(String url, String user, String password) {
        this.url = url;
        this.shownUrl = Urls.redact(url);
        this.props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "earthling-manager");
        connection = connect();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (isClosed()) {
            return false;
        }
        Connection c = connection;
        if (c == null) {
            connection = connect();
            if (connection != null) {
                return true; // notifications sent while we were away are lost: the caller sweeps
            }
            closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        }
        try {
            PGConnection pg = c.unwrap(PGConnection.class);
            long ms = timeout.toMillis();
            // getNotifications(0) would block forever, so a zero timeout only polls.
            PGNotification[] got = ms <= 0 ? pg.getNotifications()
                    : pg.getNotifications((int) Math.min(ms, Integer.MAX_VALUE));
            return got != null && got.length > 0;
        } catch (SQLException e) {
            if (isClosed()) {
                return false;
            }
            log.warn("lost the LISTEN connection to {}: {}; reconnecting", shownUrl, Sql.rootMessage(e));
            abort(c);
            connection = connect();
            return true;
        }
    }

    /** The server process of the LISTEN connection, or 0 if there is none; for tests that cut it. */
    int backendPid() throws SQLException {
        Connection c = connection;
        return c == null ? 0 : c.unwrap(PGConnection.class).getBackendPID();
    }

    private Connection connect() {
        Connection c = null;
        try {
            c = DriverManager.getConnection(url, props);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            if (isClosed()) {
                abort(c);
                return null;
            }
            return c;
        } catch (SQLException e) {
            log.warn("cannot LISTEN on {}: {}", shownUrl, Sql.rootMessage(e));
            abort(c);
            return null;
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    @Override
    public void close() {
        closed.countDown();
        abort(connection);
        connection = null;
    }

    // abort() drops the socket without waiting for the lock a blocked getNotifications() holds.
    private static void abort(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("closing the LISTEN connection failed", e);
        }
    }
}

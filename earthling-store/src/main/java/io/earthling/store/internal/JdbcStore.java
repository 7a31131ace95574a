package io.earthling.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.earthling.store.ExternalInserts;
import io.earthling.store.JobStore;
import io.earthling.store.LeaderLease;
import io.earthling.store.QueueStates;
import io.earthling.store.ScheduleStore;
import io.earthling.store.SplitStore;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import io.earthling.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An open, migrated database behind a small HikariCP pool. */
public final class JdbcStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
    private static final long CONNECT_TIMEOUT_MS = 5_000;

    private final StoreSettings settings;
    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final JdbcJobStore jobs;
    private final JdbcLeaderLease lease;
    private final JdbcNodeRoster roster;
    private final JdbcQueueStates queues;
    private final JdbcScheduleStore schedules;
    private final JdbcSplitStore splits;
    private final JdbcJobLogs logs;
    private final JdbcTokenStore tokens;
    private final String description;
    private final Sql sql;

    private JdbcStore(StoreSettings settings, Dialect dialect, HikariDataSource dataSource, String description) {
        this.settings = settings;
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.description = description;
        this.sql = new Sql(dataSource, settings.url());
        this.jobs = new JdbcJobStore(sql, dialect);
        this.lease = new JdbcLeaderLease(sql, dialect);
        this.roster = new JdbcNodeRoster(sql);
        this.queues = new JdbcQueueStates(sql, dialect);
        this.schedules = new JdbcScheduleStore(sql, dialect);
        this.splits = new JdbcSplitStore(sql, dialect);
        this.logs = new JdbcJobLogs(sql);
        this.tokens = new JdbcTokenStore(sql);
    }

    /** The pool's transactions, for tests of what the pooled sessions do. */
    Sql sql() {
        return sql;
    }

    public static Store open(StoreSettings settings) {
        String url = settings.url();
        Dialect dialect = Dialect.of(url);
        String shown = Urls.redact(url);
        if (dialect == Dialect.H2) {
            Urls.createH2Folders(url);
        }
        HikariDataSource ds = pool(settings, dialect);
        try {
            String description = describe(ds, shown);
            migrate(ds, dialect, shown);
            if (dialect == Dialect.H2) {
                Urls.restrictH2Files(url);
            }
            log.info("store: {}", description);
            return new JdbcStore(settings, dialect, ds, description);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    private static HikariDataSource pool(StoreSettings settings, Dialect dialect) {
        // Hikari checks a connection idle for more than 0.5 s before lending it; on PostgreSQL that check is a
        // statement of its own, which would double the idle manager's DB load (lease renewal, sweep). A broken
        // connection still fails the next statement, and every caller retries.
        if (System.getProperty("com.zaxxer.hikari.aliveBypassWindowMs") == null) {
            System.setProperty("com.zaxxer.hikari.aliveBypassWindowMs", "30000");
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(settings.url());
        cfg.setUsername(settings.user());
        cfg.setPassword(settings.password());
        cfg.setPoolName("earthling-store");
        cfg.setMaximumPoolSize(Math.max(1, settings.poolSize()));
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        // Fail on the first attempt at start instead of retrying: the operator gets one clear line at once.
        cfg.setInitializationFailTimeout(1);
        if (dialect == Dialect.POSTGRESQL) {
            cfg.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MS / 1000));
            cfg.addDataSourceProperty("tcpKeepAlive", "true");
            cfg.addDataSourceProperty("socketTimeout", String.valueOf(Timeouts.SOCKET_S));
            // Batched inserts go as multi-row INSERTs: one statement per batch, not one per job.
            cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
            // Operators (and the cluster test) tell the manager's sessions apart in pg_stat_activity by this name.
            cfg.addDataSourceProperty("ApplicationName", "earthling-manager");
            // Plan each execution for the table as it is now. A cached generic plan made while `jobs` was small (a
            // fresh or emptied table) scans the whole table for every batch once it has grown, until the next
            // ANALYZE: on a busy manager that made each batch O(table) and runs slower one after another.
            // Then the bounds that keep a stopped leader from blocking the takeover (Timeouts).
            cfg.setConnectionInitSql("SET plan_cache_mode = force_custom_plan; " + Timeouts.postgresSession());
        } else {
            // H2 waits only 1 s for a row lock by default; a big fenced batch may hold the lease row longer.
            cfg.setConnectionInitSql("SET LOCK_TIMEOUT 10000");
        }
        try {
            return new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(
                    "cannot reach the database at " + Urls.redact(settings.url()) + ": " + Sql.rootMessage(e), e);
        }
    }

    private static String describe(HikariDataSource ds, String shownUrl) {
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String version = md.getDatabaseProductVersion().split(" ")[0];
            return md.getDatabaseProductName() + " " + version + " at " + shownUrl;
        } catch (SQLException e) {
            throw new StoreUnavailableException(
                    "cannot reach the database at " + shownUrl + ": " + Sql.rootMessage(e), e);
        }
    }

    private static void migrate(HikariDataSource ds, Dialect dialect, String shownUrl) {
        try {
            FluentConfiguration flyway = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration/common", dialect.migrations());
            boolean postgres = dialect == Dialect.POSTGRESQL;
            if (postgres) {
                flyway.initSql("SET statement_timeout = 0"); // a migration of a big table may run long
            }
            flyway.load().migrate();
            if (postgres) {
                // The sessions Flyway used keep its unbounded statement_timeout: replace them with fresh ones.
                ds.getHikariPoolMXBean().softEvictConnections();
            }
        } catch (FlywayException e) {
            throw new StoreUnavailableException(
                    "cannot migrate the schema at " + shownUrl + ": " + Sql.rootMessage(e), e);
        }
    }

    @Override
    public JobStore jobs() {
        return jobs;
    }

    @Override
    public SplitStore splits() {
        return splits;
    }

    @Override
    public LeaderLease lease() {
        return lease;
    }

    @Override
    public io.earthling.store.NodeRoster roster() {
        return roster;
    }

    @Override
    public QueueStates queues() {
        return queues;
    }

    @Override
    public ScheduleStore schedules() {
        return schedules;
    }

    @Override
    public io.earthling.store.JobLogs logs() {
        return logs;
    }

    @Override
    public io.earthling.store.TokenStore tokens() {
        return tokens;
    }

    @Override
    public ExternalInserts listenForExternalInserts() {
        if (dialect == Dialect.POSTGRESQL) {
            return new PgExternalInserts(settings.url(), settings.user(), settings.password());
        }
        return new NoExternalSignal();
    }

    @Override
    public boolean notifiesExternalInserts() {
        return dialect == Dialect.POSTGRESQL;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

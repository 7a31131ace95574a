package io.earthling.manager;

import io.earthling.api.ScheduleSpec;
import io.earthling.grpc.GrpcServers;
import io.earthling.manager.internal.BatchStats;
import io.earthling.manager.internal.CoordinatorService;
import io.earthling.manager.internal.JobMetrics;
import io.earthling.manager.internal.JobsService;
import io.earthling.manager.internal.Intake;
import io.earthling.manager.internal.LogKeeper;
import io.earthling.manager.internal.LogsService;
import io.earthling.manager.internal.Leadership;
import io.earthling.manager.internal.Leading;
import io.earthling.manager.internal.ScheduleTicker;
import io.earthling.manager.internal.http.HttpApi;
import io.earthling.manager.internal.http.MetricsEndpoint;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import io.earthling.store.StoredSchedule;
import io.earthling.store.StoreUnavailableException;
import io.grpc.Server;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.earthling.manager.internal.PipelineService;

/**
 * The manager role: the only component that touches the job tables. It serves assistants and clients on one
 * port, competes for the leader lease, and while it leads, dispatches jobs to idle workers.
 */
public final class Manager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Manager.class);

    private final ManagerSettings settings;
    private final Store store;
    private final Server server;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "earthling-manager-timer");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final BatchStats stats = new BatchStats();
    private final Thread election;
    private final Clock clock;
    private final List<StoredSchedule> configSchedules;
    private final PrometheusMeterRegistry registry = MetricsEndpoint.registry();
    private final JobMetrics metrics = new JobMetrics(registry);
    private final JobsService jobs;
    private final LogsService logs;
    private final LogKeeper logKeeper;
    private volatile HttpApi http;
    private volatile Leading leading;
    private volatile ScheduleTicker ticker;
    private volatile boolean closed;
    private volatile boolean lostLeadership;

    private Manager(ManagerSettings settings, Store store, List<ScheduleSpec> schedules, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.configSchedules = schedules.stream().map(Manager::fromConfig).toList();
        stats.observe(registry);
        this.jobs = new JobsService(() -> leading == null ? null : leading.leadership(), store.jobs(), store.queues(),
                new Intake(settings.maxPayloadBytes(), settings.queues(), settings.typeMaxAttempts()),
                settings.maxBatch(), settings.heartbeatMs(), clock, timer, () -> ticker).observe(metrics);
        this.logKeeper = new LogKeeper(store.logs());
        this.logs = new LogsService(store.jobs(), store.logs(),
                () -> leading == null ? null : leading.leadership(), timer);
        this.server = GrpcServers.start("rpc.manager", settings.address(), settings.port(),
                new CoordinatorService(() -> leading == null ? null : leading.leadership().dispatcher(),
                        () -> leading == null ? 0L : leading.leadership().epoch(), settings.heartbeatMs(),
                        settings.nodeGraceMs(), GrpcServers::channel, settings.maxResultBytes()).keepLogs(logKeeper),
                jobs, logs, new PipelineService(store.jobs(), store.splits(),
                        () -> leading == null ? null : leading.leadership()));
        this.election = new Thread(this::campaign, "earthling-election");
        election.setDaemon(true);
    }

    /** Opens the store (retrying while it is unreachable), binds the port and starts competing for leadership. */
    public static Manager start(ManagerSettings settings) {
        return start(settings, List.of(), Clock.systemUTC());
    }

    /** {@link #start(ManagerSettings)} with the config's recurring jobs, their ticks read from {@code clock}. */
    public static Manager start(ManagerSettings settings, List<ScheduleSpec> schedules, Clock clock) {
        return start(settings, schedules, clock, null);
    }

    /**
     * {@link #start(ManagerSettings, List, Clock)} that also serves the REST API, dashboard and metrics as
     * {@code http} says (null: no HTTP). A taken HTTP port is logged and the manager runs on without it.
     */
    public static Manager start(ManagerSettings settings, List<ScheduleSpec> schedules, Clock clock, HttpSettings http) {
        Store store = openStore(settings);
        try {
            Manager m = new Manager(settings, store, schedules, clock);
            log.info("Manager listening on {} with {}", settings.self(), store.describe());
            if (http != null) {
                m.serveHttp(http);
            }
            m.election.start();
            return m;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void serveHttp(HttpSettings s) {
        try {
            http = HttpApi.start(s, jobs, logs, store.jobs(), this::isLeader, registry);
            log.info("HTTP API, dashboard and /metrics on http://{}:{}/{}", s.address(), http.port(),
                    s.token() == null ? "" : " (token required)");
        } catch (RuntimeException e) {
            log.error("HTTP on {}:{} failed to start ({}); the manager runs on without its REST API and dashboard;"
                    + " set http.port to a free port and restart it", s.address(), s.port(), e.toString());
        }
    }

    /** The HTTP port, or -1 when this manager serves no HTTP. */
    public int httpPort() {
        HttpApi h = http;
        return h == null ? -1 : h.port();
    }

    private static Store openStore(ManagerSettings settings) {
        long delay = 1000;
        for (int attempt = 1; ; attempt++) {
            try {
                return Store.open(new StoreSettings(settings.storeUrl(), settings.storeUser(),
                        settings.storePassword(), settings.storePool()));
            } catch (StoreUnavailableException e) {
                if (e.getMessage().contains("file is locked")) {
                    throw new StoreUnavailableException(e.getMessage().replaceFirst(" \\[.*$", "")
                            + " (another Earthling manager, e.g. `earthling run`, uses this embedded store; stop it or"
                            + " set store.url)", e);
                }
                if (attempt >= 10) {
                    throw e;
                }
                log.warn("{}; retrying in {} ms (attempt {} of 10)", e.getMessage(), delay, attempt);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delay = Math.min(5000, delay * 2);
            }
        }
    }

    private void campaign() {
        Duration ttl = Duration.ofMillis(settings.leaseTtlMs());
        boolean announced = false;
        while (!closed) {
            try {
                long asked = System.nanoTime(); // the lease runs from no later than this, whatever the DB's clock says
                OptionalLong epoch = store.lease().tryAcquire(settings.self(), ttl);
                if (epoch.isPresent()) {
                    leading = Leading.begin(store, settings, epoch.getAsLong(), asked, stats, metrics, timer,
                            this::stepDown);
                    ticker = ScheduleTicker.start(store.schedules(), leading.leadership(), clock, configSchedules);
                    return;
                }
                if (!announced) {
                    log.info("Standby: another manager holds the leader lease ({}); retrying every {} ms",
                            store.lease().current().map(h -> h.holder() + ", epoch " + h.epoch()).orElse("?"),
                            ttl.toMillis() / 3);
                    announced = true;
                }
            } catch (RuntimeException e) {
                log.warn("Could not try the leader lease ({}); retrying", e.getMessage());
            }
            try {
                Thread.sleep(Math.max(100, ttl.toMillis() / 3));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static StoredSchedule fromConfig(ScheduleSpec s) {
        return new StoredSchedule(s.name(), s.cron(), s.timeZone() == null ? "UTC" : s.timeZone(),
                s.queue() == null ? "default" : s.queue(), s.type(), s.payload() == null ? "{}" : s.payload(),
                s.priority(), s.maxAttempts() > 0 ? s.maxAttempts() : 3, "config", 0);
    }

    private void stepDown() {
        lostLeadership = true;
        log.error("This manager lost leadership and stops; restart it to rejoin as a standby");
        close();
    }

    public boolean isLeader() {
        return leading != null;
    }

    public long epoch() {
        Leading l = leading;
        return l == null ? 0 : l.leadership().epoch();
    }

    public boolean lostLeadership() {
        return lostLeadership;
    }

    /** "N transactions, R rows per transaction, T ms per transaction" of the hot writes so far. */
    public String batchSummary() {
        return stats.summary();
    }

    public int port() {
        return server.getPort();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Manager stopping; hot DB writes this run: {}", stats.summary());
        election.interrupt();
        ScheduleTicker t = ticker;
        if (t != null) {
            t.close();
        }
        Leading l = leading;
        if (l != null) {
            l.close();
        }
        HttpApi h = http;
        if (h != null) {
            h.close();
        }
        GrpcServers.stop(server);
        timer.shutdownNow();
        logKeeper.close();
        store.close();
        stopped.countDown();
    }
}

package io.earthling.manager;

import io.earthling.api.ScheduleSpec;
import io.earthling.grpc.CallerRules;
import io.earthling.grpc.ClientRoles;
import io.earthling.grpc.GrpcServers;
import io.earthling.grpc.Identity;
import io.earthling.grpc.Tls;
import io.earthling.grpc.TlsFiles;
import io.earthling.manager.internal.access.ApiTokens;
import io.earthling.manager.internal.access.Sessions;
import io.earthling.manager.internal.access.TokenRefresh;
import io.earthling.manager.internal.api.JobsApi;
import io.earthling.manager.internal.api.LogsApi;
import io.earthling.manager.internal.api.NotLeader;
import io.earthling.manager.internal.api.PipelinesApi;
import io.earthling.manager.internal.dispatch.JobMetrics;
import io.earthling.manager.internal.http.HttpApi;
import io.earthling.manager.internal.http.MetricsEndpoint;
import io.earthling.manager.internal.intake.Intake;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.manager.internal.leadership.Leading;
import io.earthling.manager.internal.leadership.Teardown;
import io.earthling.manager.internal.leadership.TimingContract;
import io.earthling.manager.internal.intake.OutcomeIntake;
import io.earthling.manager.internal.rpc.CoordinatorService;
import io.earthling.manager.internal.rpc.JobsService;
import io.earthling.manager.internal.rpc.LogKeeper;
import io.earthling.manager.internal.rpc.LogsService;
import io.earthling.manager.internal.rpc.PipelineService;
import io.earthling.manager.internal.rpc.TokensService;
import io.earthling.manager.internal.schedule.ScheduleTicker;
import io.earthling.manager.internal.write.BatchStats;
import io.earthling.store.LeaderLease;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import io.earthling.store.StoreUnavailableException;
import io.earthling.store.StoredSchedule;
import io.grpc.Server;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final JobMetrics metrics;
    private final JobsApi jobs;
    private final LogsApi logs;
    private final PipelinesApi pipelines;
    private final LogKeeper logKeeper;
    private volatile HttpApi http;
    private volatile Leading leading;
    private volatile ScheduleTicker ticker;
    private final NotLeader notLeader;
    private volatile boolean closed;
    private volatile boolean lostLeadership;
    private final Tls tls;
    private final ApiTokens tokens;
    private final Sessions sessions;
    private final TokenRefresh tokenRefresh;

    private Manager(ManagerSettings settings, Store store, List<ScheduleSpec> schedules, Clock clock, Tls tls,
                    ClientRoles clients, HttpSettings http) {
        this.settings = settings;
        this.tls = tls;
        this.store = store;
        this.metrics = new JobMetrics(registry, settings.input().maxMetricLabels());
        this.clock = clock;
        this.configSchedules = schedules.stream().map(Manager::fromConfig).toList();
        stats.observe(registry);
        this.notLeader = new NotLeader(settings.self());
        this.jobs = new JobsApi(this::leadership, store.jobs(), store.queues(),
                new Intake(settings.maxPayloadBytes(), settings.queues(), settings.typeMaxAttempts()),
                settings.maxBatch(), settings.heartbeatMs(), clock, timer, () -> ticker).observe(metrics)
                .refuseWith(notLeader).limitWaits(settings.input().maxWaitIds(), settings.input().maxWaitMs());
        this.logKeeper = new LogKeeper(store.logs());
        this.logs = new LogsApi(store.jobs(), store.logs(), this::leadership, clock);
        this.pipelines = new PipelinesApi(store.jobs(), store.splits(), this::leadership);
        this.tokens = new ApiTokens(store.tokens(), clock, http == null ? null : http.token());
        tokens.refresh();
        this.sessions = new Sessions(clock, http == null ? HttpSettings.DEFAULT_SESSION_TTL : http.sessionTtl(), 10_000);
        tokens.onRevoke(sessions::endFor);
        this.tokenRefresh = new TokenRefresh(tokens, io.earthling.core.MonotonicClock.SYSTEM);
        this.server = GrpcServers.start("rpc.manager", settings.address(), settings.port(), tls, CallerRules.manager(clients),
                tokens,
                new CoordinatorService(() -> {
                    Leadership l = leadership();
                    return l == null ? null : l.dispatcher();
                }, () -> {
                    Leadership l = leadership();
                    return l == null ? 0L : l.epoch();
                }, settings.heartbeatMs(), TimingContract.selfFenceMs(settings.nodeGraceMs(), settings.heartbeatMs()),
                        target -> GrpcServers.channel(target, tls, Identity.assistant(target)), settings.maxResultBytes())
                        .keepLogs(logKeeper).refuseWith(notLeader)
                        .checkOutcomes(new OutcomeIntake(settings.maxPayloadBytes(), settings.input(),
                                id -> store.splits().depth(id, settings.input().maxSplitDepth()))),
                new JobsService(jobs), new LogsService(logs, timer, clock),
                new PipelineService(pipelines), new TokensService(tokens));
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
        return start(settings, schedules, clock, http, null);
    }

    /**
     * {@link #start(ManagerSettings, List, Clock, HttpSettings)} with mutual TLS on its gRPC port and its channels to
     * assistants when {@code tlsFiles} is not null (docs/operations.md, "Securing a cluster").
     */
    public static Manager start(ManagerSettings settings, List<ScheduleSpec> schedules, Clock clock, HttpSettings http,
                                TlsFiles tlsFiles) {
        return start(settings, schedules, clock, http, tlsFiles, ClientRoles.everyone());
    }

    /**
     * {@link #start(ManagerSettings, List, Clock, HttpSettings, TlsFiles)} where each client certificate may call
     * what {@code clients} grants it ({@code security.clients}).
     */
    public static Manager start(ManagerSettings settings, List<ScheduleSpec> schedules, Clock clock, HttpSettings http,
                                TlsFiles tlsFiles, ClientRoles clients) {
        Tls tls = tlsFiles == null ? null : Tls.open(tlsFiles);
        if (tls != null && tls.self().role() != Identity.Role.MANAGER) {
            tls.close();
            throw new io.earthling.api.EarthlingException("tls.cert: a manager needs a manager certificate, this one is "
                    + tls.self() + " (earthling certs manager)");
        }
        Store store;
        try {
            store = openStore(settings);
        } catch (RuntimeException e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        try {
            Manager m = new Manager(settings, store, schedules, clock, tls, clients, http);
            log.info("Manager listening on {} with {}", settings.self(), store.describe());
            if (http != null) {
                m.serveHttp(http);
            }
            m.election.start();
            m.tokenRefresh.start();
            return m;
        } catch (RuntimeException e) {
            store.close();
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
    }

    private void serveHttp(HttpSettings s) {
        try {
            http = HttpApi.start(s, jobs, logs, pipelines, store.jobs(), store.splits(), this::isLeader,
                    registry, tokens, sessions);
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
            long waitMs = Math.max(100, ttl.toMillis() / 3);
            try {
                long asked = System.nanoTime(); // the lease runs from no later than this, whatever the DB's clock says
                OptionalLong epoch = store.lease().tryAcquire(settings.self(), ttl);
                if (epoch.isPresent()) {
                    notLeader.leaderIs(settings.self());
                    leading = Leading.begin(store, settings, clock, epoch.getAsLong(), asked, stats, metrics, timer,
                            this::stepDown);
                    ticker = ScheduleTicker.start(store.schedules(), leading.leadership(), clock, configSchedules);
                    if (closed) { // closed while this leadership began: nothing of it may outlive the manager
                        Teardown.run("leadership begun while closing", Teardown.step("schedule ticker", ticker::close),
                                Teardown.step("leading state", leading::close));
                        return;
                    }
                    log.info("Leading with epoch {}", epoch.getAsLong());
                    return;
                }
                Optional<LeaderLease.Holding> held = store.lease().holding();
                notLeader.leaderIs(held.map(LeaderLease.Holding::holder).orElse(null));
                waitMs = standbyWaitMs(ttl.toMillis(), held.map(LeaderLease.Holding::expiresInMs));
                if (!announced) {
                    log.info("Standby: another manager holds the leader lease ({}); asking again when it expires"
                                    + " (at most every {} ms)",
                            held.map(h -> h.holder() + ", epoch " + h.epoch()).orElse("?"), ttl.toMillis() / 3);
                    announced = true;
                }
            } catch (RuntimeException e) {
                log.warn("Could not try the leader lease ({}); retrying in {} ms", e.getMessage(), waitMs);
            }
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * How long a standby waits before asking for the lease again: until just after the holder's lease expires by
     * the database's clock, but at most a third of the ttl (a holder may release it early) and at least 20 ms.
     */
    static long standbyWaitMs(long ttlMs, Optional<Long> expiresInMs) {
        long period = Math.max(100, ttlMs / 3);
        return expiresInMs.map(ms -> Math.max(20, Math.min(period, ms + 20))).orElse(Math.min(period, 100L));
    }

    private static StoredSchedule fromConfig(ScheduleSpec s) {
        return new StoredSchedule(s.name(), s.cron(), s.timeZone() == null ? "UTC" : s.timeZone(),
                s.queue() == null ? "default" : s.queue(), s.type(), s.payload() == null ? "{}" : s.payload(),
                s.priority(), s.maxAttempts() > 0 ? s.maxAttempts() : 3, "config", 0);
    }

    /**
     * The lease is lost or could not be renewed in time. Called from the lease thread or the writer, so the leading
     * state is torn down on a thread of its own (closing interrupts and joins those threads); from this call on,
     * this manager delivers nothing and refuses leader-only calls.
     */
    private void stepDown() {
        Leading l = leading;
        synchronized (this) {
            if (lostLeadership || closed) {
                return;
            }
            lostLeadership = true;
        }
        notLeader.leaderIs(null);
        if (l != null) {
            l.stopDispatch();
        }
        log.error("This manager lost the leader lease{}: it stops leading now and exits with status 3 so that its"
                + " supervisor restarts it as a standby", l == null ? "" : " (epoch " + l.leadership().epoch() + ")");
        Thread t = new Thread(this::close, "earthling-step-down");
        t.setDaemon(false); // the process waits for the teardown before it exits
        t.start();
    }

    /** The leadership while this manager leads, else null (a standby, or stepping down). */
    private Leadership leadership() {
        Leading l = leading;
        return l == null || lostLeadership ? null : l.leadership();
    }

    public boolean isLeader() {
        return leadership() != null;
    }

    public long epoch() {
        Leadership l = leadership();
        return l == null ? 0 : l.epoch();
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

    /** Stops everything, each step even when one before it failed; then {@link #awaitStop()} returns. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        log.info("Manager stopping; hot DB writes this run: {}", stats.summary());
        try {
            Teardown.run("manager " + settings.self(),
                    Teardown.step("election", election::interrupt),
                    Teardown.step("schedule ticker", () -> {
                        ScheduleTicker t = ticker;
                        if (t != null) {
                            t.close();
                        }
                    }),
                    Teardown.step("leading state", () -> {
                        Leading l = leading;
                        if (l != null) {
                            l.close();
                        }
                    }),
                    Teardown.step("HTTP API", () -> {
                        HttpApi h = http;
                        if (h != null) {
                            h.close();
                        }
                    }),
                    Teardown.step("gRPC server", () -> GrpcServers.stop(server)),
                    Teardown.step("token refresh", tokenRefresh::stop),
                    Teardown.step("timer", timer::shutdownNow),
                    Teardown.step("log keeper", logKeeper::close),
                    Teardown.step("store", store::close),
                    Teardown.step("TLS", () -> {
                        if (tls != null) {
                            tls.close();
                        }
                    }));
        } finally {
            // Logged before the count-down: awaitStop() returns into System.exit, which would race the line.
            log.info("Manager stopped{}", lostLeadership ? " after losing the leader lease" : "");
            stopped.countDown();
        }
    }
}

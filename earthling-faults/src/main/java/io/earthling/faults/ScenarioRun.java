package io.earthling.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.earthling.api.EarthlingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Plays {@link DbScenario}s one after another on one set of real processes: a scratch PostgreSQL server
 * ({@link ScratchPostgres}, 40 connections), a {@link BlackHoleProxy} in front of it for the manager (role
 * {@code earthling}, not a superuser, so the superusers' reserved slots do not help it), one manager (lease TTL 5 s),
 * one assistant with three workers. Per scenario: {@link SteadyLoad} submits through a phase before, the fault, a
 * phase after; then it stops, every job must end within {@link #FINAL_BOUND_MS}, and the run is reconciled. Between
 * scenarios the job tables are emptied ({@code TRUNCATE}), so each one's table figures start from nothing.
 * Writes {@code <scenario>.txt} and {@code <scenario>.json} under the output directory. Everything it started is
 * stopped at the end, also on failure.
 */
final class ScenarioRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final long LEASE_TTL_MS = 5_000;
    static final long FINAL_BOUND_MS = 180_000;
    static final int MAX_CONNECTIONS = 40;
    /** How much longer than planned the after phase may last while no submission has been acknowledged again. */
    static final long AFTER_EXTRA_MS = 60_000;
    /** The handler's sleep per job: with three workers some 30 jobs a second at most. */
    static final long SLEEP_MS = 60;
    static final int ASSISTANTS = 1;
    static final int WORKERS = 3;

    private final Path dir;
    private final boolean longVersion;
    private final ScratchPostgres server;
    private final BlackHoleProxy proxy;
    private final Pg db;
    private final FaultCluster cluster;
    private final Processes processes;
    private final Monitor monitor;
    private final Thread supervisor;
    private final Thread sampler;
    private final List<PhaseStats.Sample> samples = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean running = true;

    private ScenarioRun(Path dir, boolean longVersion, ScratchPostgres server, BlackHoleProxy proxy, Pg db,
                        FaultCluster cluster, Processes processes, Monitor monitor) {
        this.dir = dir;
        this.longVersion = longVersion;
        this.server = server;
        this.proxy = proxy;
        this.db = db;
        this.cluster = cluster;
        this.processes = processes;
        this.monitor = monitor;
        this.supervisor = new Thread(this::supervise, "scenario-supervisor");
        this.sampler = new Thread(this::sample, "scenario-sampler");
        supervisor.setDaemon(true);
        sampler.setDaemon(true);
        supervisor.start();
        sampler.start();
    }

    /** Starts the server, the proxy and the cluster; throws {@link ScratchPostgres.Unavailable} if no server can run. */
    static ScenarioRun start(Path jar, Path outDir, boolean longVersion) throws Exception {
        Path dir = outDir.toAbsolutePath();
        Files.createDirectories(dir);
        ScratchPostgres server = ScratchPostgres.start(MAX_CONNECTIONS);
        BlackHoleProxy proxy = null;
        Processes processes = null;
        Monitor monitor = null;
        try {
            try (Connection c = DriverManager.getConnection(server.adminUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE earthling LOGIN");
                s.execute("CREATE ROLE hog LOGIN");
            }
            Pg db = Pg.fresh(server.adminUrl(), 17);
            try (Connection c = DriverManager.getConnection(server.adminUrl()); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + db.name() + " OWNER TO earthling");
            }
            proxy = new BlackHoleProxy(server.port());
            int proxyPort = proxy.port();
            FaultCluster cluster = new FaultCluster(dir, db, 1, ASSISTANTS, WORKERS, LEASE_TTL_MS,
                    name -> "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + db.name()
                            + "?user=earthling&ApplicationName=" + name, "");
            processes = new Processes(jar, dir, null);
            startCluster(cluster, processes, db);
            monitor = new Monitor(cluster, db, processes);
            return new ScenarioRun(dir, longVersion, server, proxy, db, cluster, processes, monitor);
        } catch (Exception | Error e) {
            if (monitor != null) {
                monitor.close();
            }
            if (processes != null) {
                processes.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            server.close();
            throw e;
        }
    }

    private static void startCluster(FaultCluster cluster, Processes processes, Pg db) throws Exception {
        long until = System.currentTimeMillis() + FaultRun.STARTUP_MS;
        cluster.startManager(processes, 0);
        FaultRun.awaitStartup(processes, until, "manager-1 holding the lease", () -> {
            try (Connection c = db.connect()) {
                return Pg.count(c, "SELECT count(*) FROM manager_lease WHERE holder = '" + cluster.holder(0)
                        + "' AND expires_at > clock_timestamp()") > 0;
            }
        });
        try (EarthlingClient client = EarthlingClient.connect("127.0.0.1", cluster.managerPorts.get(0))) {
            for (int i = 0; i < cluster.assistants; i++) {
                cluster.startAssistant(processes, i);
                int n = i + 1;
                FaultRun.awaitStartup(processes, until, n + " assistants online", () -> client.nodes().stream()
                        .filter(v -> v.status().equals("ONLINE") && v.workers() == cluster.workersEach).count() >= n);
            }
        }
    }

    /** Restarts (as systemd would) a process that exited, e.g. a manager that stepped down (exit 3). */
    private void supervise() {
        while (running) {
            processes.superviseOnce();
            sleep(500);
        }
    }

    private void sample() {
        Connection c = null;
        while (running) {
            long now = System.currentTimeMillis();
            long heap = -1;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + cluster.httpPorts.get(0) + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                heap = PhaseStats.heapBytes(r.body());
            } catch (Exception e) {
                // the manager is down or restarting
            }
            long[] t = {-1, -1, -1, -1, -1, -1, -1};
            try {
                if (c == null) {
                    c = db.connect();
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM jobs"
                        + " WHERE state IN ('PENDING', 'ASSIGNED', 'RUNNING')), j.n_live_tup, j.n_dead_tup,"
                        + " pg_total_relation_size('jobs'), e.n_dead_tup, pg_total_relation_size('job_events'),"
                        + " coalesce((SELECT epoch FROM manager_lease WHERE name = 'leader' AND holder IS NOT NULL"
                        + " AND expires_at > clock_timestamp()), -1) FROM pg_stat_user_tables j, pg_stat_user_tables e WHERE j.relname = 'jobs'"
                        + " AND e.relname = 'job_events'")) {
                    if (rs.next()) {
                        for (int i = 0; i < t.length; i++) {
                            t[i] = rs.getLong(i + 1);
                        }
                    }
                }
            } catch (SQLException e) {
                closeQuietly(c);
                c = null;
            }
            samples.add(new PhaseStats.Sample(now, heap, t[0], t[1], t[2], t[3], t[4], t[5], t[6]));
            sleep(1_000 - (System.currentTimeMillis() - now));
        }
        closeQuietly(c);
    }

    /** Plays one scenario and reconciles it; writes its report. */
    ScenarioReport play(DbScenario scenario) throws Exception {
        String name = scenario.cliName();
        long faultMs = longVersion ? scenario.longMs : scenario.shortMs;
        long beforeMs = longVersion ? 30_000 : 6_000;
        long afterMs = longVersion ? (scenario == DbScenario.IDLE_IN_TRANSACTION ? 120_000 : 60_000) : 10_000;
        double capacity = cluster.assistants * cluster.workersEach * 1000.0 / SLEEP_MS;
        double base = capacity / 3;
        double[] rate = {base};
        long t0;
        long t1;
        long t2;
        long t3;
        String note;
        int exitsBefore = processes.selfExits().size();
        reset(name);
        SteadyLoad load = new SteadyLoad(cluster, monitor, name, SLEEP_MS, () -> rate[0]);
        try {
            t0 = System.currentTimeMillis();
            load.start();
            sleep(beforeMs);
            t1 = System.currentTimeMillis();
            note = fault(scenario, faultMs, rate, capacity);
            t2 = System.currentTimeMillis();
            if (scenario == DbScenario.OVERLOAD) {
                rate[0] = 0; // the after phase: no new work until the backlog drains
            }
            sleep(afterMs);
            if (scenario != DbScenario.OVERLOAD) {
                // On a loaded machine a manager restart and the client's reconnect may outlast the after phase: it
                // goes on until a submission is acknowledged again (and 3 s more), for up to AFTER_EXTRA_MS.
                long until = System.currentTimeMillis() + AFTER_EXTRA_MS;
                long t = t2;
                while (load.calls().stream().noneMatch(c -> c.code().equals("OK") && c.atMs() >= t)
                        && System.currentTimeMillis() < until) {
                    sleep(200);
                }
                long acked = load.calls().stream().filter(c -> c.code().equals("OK") && c.atMs() >= t)
                        .mapToLong(SteadyLoad.Call::atMs).min().orElse(Long.MAX_VALUE);
                sleepUntil(Math.min(until, acked + 3_000));
            }
            t3 = System.currentTimeMillis();
        } finally {
            rate[0] = 0;
            load.close(); // the calls under way end (at most their deadline)
        }
        long allFinal = awaitFinal(System.currentTimeMillis() + FINAL_BOUND_MS);
        ScenarioReport report = report(scenario, faultMs, note, scenario == DbScenario.OVERLOAD ? capacity * 1.5 : base,
                load, new long[] {t0, t1, t2, t3}, allFinal, exitsBefore);
        Files.writeString(dir.resolve(name + ".txt"), report.text());
        JSON.writeValue(dir.resolve(name + ".json").toFile(), report);
        return report;
    }

    /**
     * Before a scenario: the evidence of the one before moves to {@code evidence/<its name>/}, and the job tables are
     * emptied, so the next reconciliation and table figures see only the next scenario's jobs.
     */
    private void reset(String next) throws Exception {
        Path old = cluster.evidenceDir.resolve("before-" + next);
        Files.createDirectories(old);
        try (Stream<Path> files = Files.list(cluster.evidenceDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("evidence-")).toList()) {
                Files.move(f, old.resolve(f.getFileName()));
            }
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE jobs, job_events, job_logs");
        }
    }

    private ScenarioReport report(DbScenario scenario, long faultMs, String note, double offered, SteadyLoad load,
                                  long[] t, long allFinal, int exitsBefore) throws Exception {
        List<Workload.Submission> subs = load.submissions();
        List<SteadyLoad.Call> calls = load.calls();
        RunReport r = Reconciler.reconcile(new Reconciler.Inputs(17, db, cluster, t[0], t[3] - t[0],
                allFinal < 0 ? -1 : allFinal - t[3], subs, List.of(), monitor.samples(), monitor.halfLeading(), 0,
                processes.selfExits(), List.of()));
        Map<Long, Long> ended = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, (extract(epoch FROM finished_at) * 1000)::bigint FROM jobs WHERE finished_at IS NOT NULL")) {
            while (rs.next()) {
                ended.put(rs.getLong(1), rs.getLong(2));
            }
        }
        Map<Long, Long> firstRun = new HashMap<>();
        for (Reconciler.Execution x : Reconciler.executions(cluster.evidenceDir)) {
            firstRun.merge(x.jobId(), x.atMs(), Math::min);
        }
        List<PhaseStats.JobTimes> jobs = new ArrayList<>();
        for (Workload.Submission sub : subs) {
            if (sub.acked()) {
                for (long id : sub.ids()) {
                    jobs.add(new PhaseStats.JobTimes(sub.atMs(), firstRun.getOrDefault(id, -1L),
                            ended.getOrDefault(id, -1L)));
                }
            }
        }
        List<ScenarioReport.Phase> phases = List.of(
                PhaseStats.phase(new PhaseStats.Window("before", t[0], t[1]), calls, jobs, samples),
                PhaseStats.phase(new PhaseStats.Window("during", t[1], t[2]), calls, jobs, samples),
                PhaseStats.phase(new PhaseStats.Window("after", t[2], t[3]), calls, jobs, samples));
        long healed = t[2];
        long firstAck = calls.stream().filter(c -> c.code().equals("OK") && c.atMs() + c.tookMs() >= healed)
                .mapToLong(c -> c.atMs() + c.tookMs() - healed).min().orElse(-1);
        long firstStart = firstRun.values().stream().filter(x -> x >= healed).mapToLong(x -> x - healed).min().orElse(-1);
        // Leading again: a valid lease of a newer epoch than before the fault (the leader stepped down and a manager
        // took over), else any valid lease. A renewal sent into a black hole may land when it heals and make a lease
        // valid again for a leader that has already stepped down: that is not leading.
        long epochBefore = samples.stream().filter(x -> x.atMs() < t[1] && x.leaseEpoch() >= 0)
                .mapToLong(PhaseStats.Sample::leaseEpoch).max().orElse(-1);
        boolean newEpoch = samples.stream().anyMatch(x -> x.atMs() >= t[1] && x.leaseEpoch() > epochBefore);
        long lease = samples.stream().filter(x -> x.atMs() >= healed && x.leaseEpoch() >= 0
                        && (!newEpoch || x.leaseEpoch() > epochBefore))
                .mapToLong(x -> x.atMs() - healed).findFirst().orElse(-1);
        List<String> exits = new ArrayList<>();
        List<Processes.Exit> all = processes.selfExits();
        for (Processes.Exit x : all.subList(Math.min(exitsBefore, all.size()), all.size())) {
            exits.add(String.format("%s exit %d at %+.1f s from the fault's start", x.name(), x.code(),
                    (x.atMs() - t[1]) / 1000.0));
        }
        return new ScenarioReport(scenario.cliName(), longVersion, t[2] - t[1], note, offered, r.lost(), r.stuck(),
                r.illegalTransitions(), r.idempotencyViolations(), r.executionsBeyondOne(),
                r.executionsBeyondOneOutsideWindows(), r.jobs(), r.jobsByState(), firstAck, firstStart, lease,
                allFinal < 0 ? -1 : allFinal - healed, exits, phases, r.examples());
    }

    /** Plays the fault itself; returns what was done, for the report. */
    private String fault(DbScenario scenario, long faultMs, double[] rate, double capacity) throws Exception {
        long end = System.currentTimeMillis() + faultMs;
        switch (scenario) {
            case PG_RESTART -> {
                server.stopServer();
                long stopped = System.currentTimeMillis();
                sleepUntil(end);
                server.startServer();
                return String.format("pg_ctl stop -m fast, down %.1f s, pg_ctl start (up after %.1f s)",
                        (end - stopped) / 1000.0, (System.currentTimeMillis() - stopped) / 1000.0);
            }
            case DB_TERMINATE -> {
                int terminated = 0;
                int rounds = 0;
                while (System.currentTimeMillis() < end) {
                    terminated += db.terminateSessions(monitor.sessionPid());
                    rounds++;
                    sleep(300);
                }
                return terminated + " sessions terminated in " + rounds + " rounds, 300 ms apart";
            }
            case POOL_EXHAUSTION -> {
                return exhaust(end);
            }
            case UNREACHABLE -> {
                proxy.cut();
                try {
                    sleepUntil(end);
                } finally {
                    proxy.heal();
                }
                return "every byte between the manager and PostgreSQL held (a black hole, nothing refused)";
            }
            case IDLE_IN_TRANSACTION -> {
                return idleInTransaction(end);
            }
            case OVERLOAD -> {
                rate[0] = capacity * 1.5;
                sleepUntil(end);
                return String.format("offered %.0f jobs/s, 1.5 x the workers' %.0f jobs/s at most (3 workers, %d ms"
                        + " per job)", rate[0], capacity, SLEEP_MS);
            }
            default -> throw new IllegalStateException(scenario.name());
        }
    }

    /**
     * Role {@code hog} takes every free slot (eight threads connecting as fast as the server answers), then the
     * manager's sessions are ended, and the hog keeps taking any slot that frees up until {@code end}, so the
     * manager's pool cannot reconnect; then the hog lets them all go.
     */
    private String exhaust(long end) throws Exception {
        List<Connection> held = java.util.Collections.synchronizedList(new ArrayList<>());
        String hogUrl = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres?user=hog&ApplicationName=hog";
        String[] refusal = {null};
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                while (System.currentTimeMillis() < end) {
                    try {
                        held.add(DriverManager.getConnection(hogUrl));
                        most.accumulateAndGet(held.size(), Math::max);
                    } catch (SQLException e) {
                        refusal[0] = refusal[0] != null ? refusal[0] : e.getMessage();
                        sleep(5);
                    }
                }
            }, "scenario-hog-" + i);
            t.setDaemon(true);
            t.start();
            hogs.add(t);
        }
        int terminated = 0;
        try {
            while (refusal[0] == null && System.currentTimeMillis() < end) {
                sleep(20); // until the slots are full
            }
            try (Connection c = DriverManager.getConnection(server.adminUrl())) {
                terminated = (int) Pg.count(c, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE"
                        + " application_name LIKE 'manager-%'");
            }
            for (Thread t : hogs) {
                t.join(Math.max(1, end - System.currentTimeMillis() + 5_000));
            }
        } finally {
            synchronized (held) {
                held.forEach(ScenarioRun::closeQuietly);
            }
        }
        return String.format("role hog took every free slot (up to %d of %d; %d reserved for superusers), then %d"
                + " sessions of the manager were ended and the hog took their slots too, until the end; the server"
                + " told the others: %s", most.get(), MAX_CONNECTIONS, 3, terminated, refusal[0]);
    }

    /** One session idle in a REPEATABLE READ transaction that read {@code jobs}; two readers overlapping. */
    private String idleInTransaction(long end) throws Exception {
        int[] reads = new int[1];
        List<Thread> readers = new ArrayList<>();
        long from = System.currentTimeMillis();
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            long seen = Pg.count(holder, "SELECT count(*) FROM jobs");
            for (int r = 0; r < 2; r++) {
                long offset = r * 1_000L;
                Thread t = new Thread(() -> read(end, offset, reads), "scenario-rr-reader-" + r);
                t.setDaemon(true);
                t.start();
                readers.add(t);
            }
            sleepUntil(end);
            holder.rollback();
            for (Thread t : readers) {
                t.join(10_000);
            }
            return String.format("a REPEATABLE READ transaction read %d jobs and sat idle %.0f s; two REPEATABLE READ"
                    + " readers of jobs overlapping (each holds its snapshot 2 s, %d transactions)", seen,
                    (System.currentTimeMillis() - from) / 1000.0, reads[0]);
        }
    }

    private void read(long end, long offset, int[] reads) {
        sleep(offset);
        while (System.currentTimeMillis() < end) {
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                while (System.currentTimeMillis() < end) {
                    Pg.count(c, "SELECT count(*) FROM jobs WHERE state = 'PENDING'");
                    sleep(2_000);
                    Pg.count(c, "SELECT count(*) FROM jobs");
                    c.commit();
                    synchronized (reads) {
                        reads[0]++;
                    }
                }
            } catch (SQLException e) {
                sleep(500);
            }
        }
    }

    /** Waits until no job is left unfinished; returns when (wall clock), or -1 if some are still at {@code until}. */
    private long awaitFinal(long until) throws InterruptedException {
        while (System.currentTimeMillis() < until) {
            try (Connection c = db.connect()) {
                if (Pg.count(c, "SELECT count(*) FROM jobs WHERE state NOT IN ('SUCCEEDED', 'DEAD', 'CANCELLED')") == 0) {
                    return System.currentTimeMillis();
                }
            } catch (SQLException e) {
                // the database is just back
            }
            Thread.sleep(500);
        }
        return -1;
    }

    private void sleepUntil(long ms) {
        long left;
        while ((left = ms - System.currentTimeMillis()) > 0) {
            sleep(Math.min(left, 200));
        }
    }

    private static void sleep(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sampler.join(5_000);
            supervisor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        monitor.close();
        processes.close();
        proxy.close();
        server.close();
    }
}

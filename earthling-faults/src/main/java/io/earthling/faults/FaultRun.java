package io.earthling.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.earthling.api.EarthlingClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One seeded run: a fresh database, the cluster's processes, the seed's faults while the workload submits, then
 * healing (every process continued or restarted, the database open), a bounded wait until no job is left
 * non-final, and the reconciliation. Writes {@code report.txt} and {@code report.json} beside the processes' logs
 * and the evidence files under {@code <out>/seed-<seed>/}. Every process is killed at the end, also on failure.
 */
public final class FaultRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * {@code faultMs}: how long faults are played (at least until every kind ran once); {@code healBoundMs}: how
     * long to wait after healing for every job to end before the rest count as stuck.
     */
    public record Settings(Path jar, String adminUrl, Path outDir, long faultMs, long healBoundMs, long leaseTtlMs,
                           int assistants, int workersEach, boolean keepDatabase) {
        public static Settings defaults(Path jar, String adminUrl, Path outDir) {
            return new Settings(jar, adminUrl, outDir, 60_000, 90_000, 5_000, 3, 3, false);
        }

        public Settings withFaultMs(long ms) {
            return new Settings(jar, adminUrl, outDir, ms, healBoundMs, leaseTtlMs, assistants, workersEach, keepDatabase);
        }
    }

    private FaultRun() {
    }

    public static RunReport run(long seed, Settings s) throws Exception {
        Path dir = s.outDir().resolve("seed-" + seed).toAbsolutePath();
        Files.createDirectories(dir);
        Pg db = Pg.fresh(s.adminUrl(), seed);
        FaultCluster cluster = new FaultCluster(dir, db, s.assistants(), s.workersEach(), s.leaseTtlMs());
        List<Fault> schedule = FaultSchedule.generate(seed, s.faultMs(), s.leaseTtlMs(), s.assistants(), s.workersEach());
        Files.writeString(dir.resolve("schedule.txt"),
                String.join("\n", schedule.stream().map(Fault::toString).toList()) + "\n");
        Clocks clocks = null;
        String noClocks = null;
        try {
            clocks = Clocks.create(dir);
        } catch (Clocks.Unavailable e) {
            noClocks = e.getMessage();
            System.err.println("earthling-faults: no clock steps in this run: " + noClocks);
        }
        try (Processes processes = new Processes(s.jar(), dir, clocks)) {
            startCluster(cluster, processes, db);
            try (Monitor monitor = new Monitor(cluster, db, processes)) {
                Workload workload = new Workload(cluster, processes, monitor, db, dir);
                Injector injector = new Injector(cluster, processes, monitor, db, clocks, noClocks);
                long runMs = Math.max(s.faultMs(), FaultSchedule.endMs(schedule));
                workload.warmUp(seed);
                long start = System.currentTimeMillis();
                java.util.concurrent.atomic.AtomicBoolean faultsDone = new java.util.concurrent.atomic.AtomicBoolean();
                List<Thread> lanes = new ArrayList<>();
                for (int lane = 0; lane < 3; lane++) {
                    int l = lane;
                    // Until the planned end, and as long as faults play (waits for a standby push them back).
                    Thread t = new Thread(() -> workload.run(seed, l, () -> !faultsDone.get()
                            || System.currentTimeMillis() < start + runMs), "faults-workload-" + lane);
                    t.setDaemon(true);
                    t.start();
                    lanes.add(t);
                }
                try {
                    injector.play(schedule, start);
                } finally {
                    faultsDone.set(true);
                    processes.healAll();
                    db.allowConnections();
                    if (clocks != null) {
                        clocks.resetAll();
                    }
                }
                for (Thread t : lanes) {
                    while (t.isAlive()) {
                        t.join(200);
                        processes.superviseOnce();
                    }
                }
                long healed = System.currentTimeMillis();
                // A resumed leader needs up to a lease TTL to notice it lost the lease and step down.
                awaitLeader(monitor, processes, healed + 2 * s.leaseTtlMs());
                int halfAtEnd = 0;
                for (int m = 0; m < cluster.managerPorts.size(); m++) {
                    halfAtEnd += halfLeadingAtEnd(monitor, m) ? 1 : 0;
                }
                if (halfAtEnd > 0) {
                    injector.restartHalfLeading(); // as an operator would, so the rest of the work can end
                }
                awaitFinal(db, processes, healed + s.healBoundMs());
                long healedIn = System.currentTimeMillis() - healed;
                monitor.close();
                RunReport report = Reconciler.reconcile(new Reconciler.Inputs(seed, db, cluster, start,
                        System.currentTimeMillis() - start, healedIn, workload.submissions(), injector.injected(),
                        monitor.samples(), monitor.halfLeading(), halfAtEnd, processes.selfExits(),
                        injector.operatorRestarts()));
                Files.writeString(dir.resolve("report.txt"), report.text());
                JSON.writeValue(dir.resolve("submissions.json").toFile(), workload.submissions());
                JSON.writeValue(dir.resolve("faults.json").toFile(), injector.injected());
                JSON.writeValue(dir.resolve("report.json").toFile(), report);
                return report;
            }
        } finally {
            if (!s.keepDatabase()) {
                try {
                    db.drop();
                } catch (Exception e) {
                    // left for the server's owner; the report names it
                }
            }
        }
    }

    /**
     * manager-1 first (so it leads), then the assistants one at a time (fourteen JVMs starting at once on a small
     * machine time out their workers' start), then the standby. A process that exits meanwhile is restarted.
     */
    private static void startCluster(FaultCluster cluster, Processes processes, Pg db) throws Exception {
        long until = System.currentTimeMillis() + STARTUP_MS;
        cluster.startManager(processes, 0);
        try (Connection c = connectWithin(db, processes, until)) {
            awaitStartup(processes, until, "manager-1 holding the lease", () -> Pg.count(c, "SELECT count(*) FROM"
                    + " manager_lease WHERE holder = '" + cluster.holder(0) + "' AND expires_at > clock_timestamp()") > 0);
        }
        try (EarthlingClient client = EarthlingClient.connect("127.0.0.1", cluster.managerPorts.get(0))) {
            for (int i = 0; i < cluster.assistants; i++) {
                cluster.startAssistant(processes, i);
                int n = i + 1;
                awaitStartup(processes, until, n + " assistants online", () -> client.nodes().stream()
                        .filter(v -> v.status().equals("ONLINE") && v.workers() == cluster.workersEach).count() >= n);
            }
        }
        cluster.startManager(processes, 1);
        try (Connection c = db.connect()) {
            awaitStartup(processes, until, "manager-2 standing by", () -> Pg.count(c, "SELECT count(*) FROM"
                    + " pg_stat_activity WHERE application_name = 'manager-2'") > 0);
        }
    }

    static final long STARTUP_MS = 300_000;

    interface Check {
        boolean ok() throws Exception;
    }

    /** Waits until {@code check} holds, restarting exited processes meanwhile; fails past {@code until}. */
    static void awaitStartup(Processes processes, long until, String what, Check check) throws Exception {
        while (true) {
            processes.superviseOnce();
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                // not answering yet
            }
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException("the cluster did not come up within " + STARTUP_MS / 1000 + " s (waiting"
                        + " for " + what + "); logs in " + processes.dir());
            }
            Thread.sleep(200);
        }
    }

    private static Connection connectWithin(Pg db, Processes processes, long until) throws Exception {
        while (true) {
            processes.superviseOnce();
            try {
                Connection c = db.connect();
                Pg.count(c, "SELECT count(*) FROM manager_lease"); // the schema exists once the manager migrated it
                return c;
            } catch (java.sql.SQLException e) {
                if (System.currentTimeMillis() > until) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void awaitFinal(Pg db, Processes processes, long until) throws Exception {
        while (System.currentTimeMillis() < until) {
            processes.superviseOnce();
            try (Connection c = db.connect()) {
                if (Pg.count(c, "SELECT count(*) FROM jobs WHERE state NOT IN ('SUCCEEDED', 'DEAD', 'CANCELLED')") == 0) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // the database is just back; ask again
            }
            Thread.sleep(500);
        }
    }

    /** Half leading at the end: at least two of four probes a second apart find it answering (or hanging) as leader. */
    private static boolean halfLeadingAtEnd(Monitor monitor, int m) throws InterruptedException {
        int seen = 0;
        for (int i = 0; i < 4; i++) {
            seen += monitor.askAsLeader(m) == null ? 0 : 1;
            Thread.sleep(1_000);
        }
        return seen >= 2;
    }

    private static void awaitLeader(Monitor monitor, Processes processes, long until) throws InterruptedException {
        while (monitor.holder() == null && System.currentTimeMillis() < until) {
            processes.superviseOnce();
            Thread.sleep(200);
        }
    }
}

package io.earthling.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.earthling.api.EarthlingClient;
import io.earthling.api.NodeView;
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
        Files.writeString(dir.resolve("schedule.txt"), String.join("\n", schedule.stream().map(Fault::toString).toList()) + "\n");
        try (Processes processes = new Processes(s.jar(), dir)) {
            startCluster(cluster, processes, db);
            try (Monitor monitor = new Monitor(cluster, db, processes)) {
                Workload workload = new Workload(cluster, processes, monitor, db, dir);
                Injector injector = new Injector(cluster, processes, monitor, db);
                long runMs = Math.max(s.faultMs(), FaultSchedule.endMs(schedule));
                long start = System.currentTimeMillis();
                List<Thread> lanes = new ArrayList<>();
                for (int lane = 0; lane < 3; lane++) {
                    int l = lane;
                    Thread t = new Thread(() -> workload.run(seed, l, start + runMs), "faults-workload-" + lane);
                    t.setDaemon(true);
                    t.start();
                    lanes.add(t);
                }
                try {
                    injector.play(schedule, start);
                } finally {
                    processes.healAll();
                    db.allowConnections();
                }
                for (Thread t : lanes) {
                    while (t.isAlive()) {
                        t.join(200);
                        processes.superviseOnce();
                    }
                }
                long healed = System.currentTimeMillis();
                awaitFinal(db, processes, healed + s.healBoundMs());
                long healedIn = System.currentTimeMillis() - healed;
                int halfAtEnd = 0;
                for (int m = 0; m < cluster.managerPorts.size(); m++) {
                    halfAtEnd += halfLeadingAtEnd(monitor, m) ? 1 : 0;
                }
                monitor.close();
                RunReport report = Reconciler.reconcile(new Reconciler.Inputs(seed, db, cluster,
                        System.currentTimeMillis() - start, healedIn, workload.submissions(), injector.injected(),
                        monitor.samples(), monitor.halfLeading(), halfAtEnd, processes.selfExits()));
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

    /** manager-1 first (so it leads), then the standby and the assistants; returns once every node is online. */
    private static void startCluster(FaultCluster cluster, Processes processes, Pg db) throws Exception {
        cluster.startManager(processes, 0);
        long until = System.currentTimeMillis() + 120_000;
        try (Connection c = connectWithin(db, until)) {
            while (Pg.count(c, "SELECT count(*) FROM manager_lease WHERE holder = '" + cluster.holder(0)
                    + "' AND expires_at > clock_timestamp()") == 0) {
                check(processes, "manager-1", until);
                Thread.sleep(100);
            }
        }
        cluster.startManager(processes, 1);
        for (int i = 0; i < cluster.assistants; i++) {
            cluster.startAssistant(processes, i);
        }
        try (EarthlingClient client = EarthlingClient.connect("127.0.0.1", cluster.managerPorts.get(0))) {
            while (true) {
                check(processes, "manager-1", until);
                try {
                    List<NodeView> nodes = client.nodes();
                    if (nodes.stream().filter(n -> n.status().equals("ONLINE") && n.workers() == cluster.workersEach)
                            .count() == cluster.assistants) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // not answering yet
                }
                Thread.sleep(200);
            }
        }
    }

    private static Connection connectWithin(Pg db, long until) throws Exception {
        while (true) {
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

    private static void check(Processes processes, String name, long until) {
        Process p = processes.process(name);
        if (!p.isAlive()) {
            throw new IllegalStateException(name + " exited with " + p.exitValue() + " while the cluster started; see "
                    + processes.dir().resolve(name + ".log"));
        }
        if (System.currentTimeMillis() > until) {
            throw new IllegalStateException("the cluster did not come up within 120 s; logs in " + processes.dir());
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

    /** Half leading at the end: three probes a second apart all say it answers (or hangs) as a leader. */
    private static boolean halfLeadingAtEnd(Monitor monitor, int m) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            if (monitor.askAsLeader(m) == null) {
                return false;
            }
            Thread.sleep(1_000);
        }
        return true;
    }
}

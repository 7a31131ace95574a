package io.earthling.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays a {@link FaultSchedule} on the running cluster, one fault at a time: applies it, waits its duration, heals
 * it (continues what it stopped, restarts what it killed, as an operator or systemd would). Records what it did.
 */
final class Injector {
    /** What was done: when it started and ended (wall clock), on which process, and a note. */
    record Injected(FaultKind kind, String target, long startMs, long endMs, String note) {
        boolean skipped() {
            return note.startsWith(SKIPPED);
        }
    }

    static final String SKIPPED = "skipped";

    private final FaultCluster cluster;
    private final Processes processes;
    private final Monitor monitor;
    private final Pg db;
    private final Clocks clocks;
    private final String noClocks;
    private final List<Injected> injected = new CopyOnWriteArrayList<>();
    private final List<String> operatorRestarts = new CopyOnWriteArrayList<>();

    /** {@code clocks} null: clock steps are skipped, {@code noClocks} says why. */
    Injector(FaultCluster cluster, Processes processes, Monitor monitor, Pg db, Clocks clocks, String noClocks) {
        this.cluster = cluster;
        this.processes = processes;
        this.monitor = monitor;
        this.db = db;
        this.clocks = clocks;
        this.noClocks = noClocks;
    }

    List<Injected> injected() {
        return List.copyOf(injected);
    }

    /**
     * Plays {@code faults} with times relative to {@code startMs}; returns when the last one is healed. A fault that
     * ends later than planned (it waited for a leader or a standby) pushes the rest back, so each keeps its quiet gap.
     */
    void play(List<Fault> faults, long startMs) throws Exception {
        long shift = 0;
        for (Fault f : faults) {
            sleepUntil(startMs + shift + f.atMs());
            processes.superviseOnce();
            apply(f);
            shift += Math.max(0, System.currentTimeMillis() - (startMs + shift + f.atMs() + f.durationMs()));
        }
    }

    private void apply(Fault f) throws Exception {
        long start = System.currentTimeMillis();
        switch (f.kind()) {
            case LEADER_KILL, LEADER_STOP_PAST_TTL, LEADER_STOP_IN_TRANSACTION, LEADER_PAUSE -> leader(f, start);
            case ASSISTANT_KILL -> {
                String name = FaultCluster.assistantName(f.target());
                processes.kill9(name);
                long killed = System.currentTimeMillis();
                sleepUntil(killed + f.durationMs());
                processes.restart(name);
                injected.add(new Injected(f.kind(), name, killed, System.currentTimeMillis(), "kill -9, restarted"));
            }
            case ASSISTANT_PAUSE -> {
                String name = FaultCluster.assistantName(f.target());
                processes.stop(name, true);
                sleepUntil(start + f.durationMs());
                processes.resume(name);
                injected.add(new Injected(f.kind(), name, start, System.currentTimeMillis(),
                        "SIGSTOP of the assistant and its workers"));
            }
            case WORKER_KILL -> {
                // The drawn assistant's workers, else the next assistant's (a node just restarted may have none
                // yet on a loaded machine), for up to 20 s.
                long until = start + 20_000;
                for (int i = 0; ; i++) {
                    int a = (f.target() / 10 + i) % cluster.assistants;
                    String name = FaultCluster.assistantName(a);
                    List<ProcessHandle> workers = workers(name);
                    if (!workers.isEmpty()) {
                        ProcessHandle w = workers.get((f.target() % 10) % workers.size());
                        long at = System.currentTimeMillis();
                        w.destroyForcibly();
                        injected.add(new Injected(f.kind(), name + " worker pid " + w.pid(), at, at, "kill -9"));
                        break;
                    }
                    if (System.currentTimeMillis() > until) {
                        injected.add(new Injected(f.kind(), name, start, start, SKIPPED + ": no worker process found"));
                        break;
                    }
                    Thread.sleep(200);
                }
            }
            case CLOCK_STEP -> clockStep(f, start);
            case DB_REFUSE -> {
                int m = awaitLeader(start + 15_000);
                String standby = awaitStandbys(m, System.currentTimeMillis() + STANDBY_WAIT_MS);
                start = System.currentTimeMillis();
                int terminated = db.refuseConnections(monitor.sessionPid());
                try {
                    sleepUntil(start + f.durationMs());
                } finally {
                    db.allowConnections();
                }
                injected.add(new Injected(f.kind(), db.name(), start, System.currentTimeMillis(),
                        "ALLOW_CONNECTIONS false, " + terminated + " sessions terminated" + standby));
            }
            case DB_TERMINATE -> {
                int m = awaitLeader(start + 15_000);
                String standby = awaitStandbys(m, System.currentTimeMillis() + STANDBY_WAIT_MS);
                start = System.currentTimeMillis();
                int terminated = 0;
                int rounds = 0;
                while (System.currentTimeMillis() < start + f.durationMs()) {
                    terminated += db.terminateSessions(monitor.sessionPid());
                    rounds++;
                    Thread.sleep(300);
                }
                injected.add(new Injected(f.kind(), db.name(), start, System.currentTimeMillis(),
                        terminated + " sessions terminated in " + rounds + " rounds, 300 ms apart" + standby));
            }
        }
    }

    private void leader(Fault f, long start) throws Exception {
        int m = awaitLeader(start + 15_000);
        if (m < 0) {
            // A half-leading manager blocks the lease for good; a restarting one is only slow on a loaded machine.
            restartHalfLeading();
            m = awaitLeader(System.currentTimeMillis() + 60_000);
        }
        if (m < 0) {
            injected.add(new Injected(f.kind(), "leader", start, start, SKIPPED + ": no leader within 75 s"));
            return;
        }
        String standby = awaitStandbys(m, System.currentTimeMillis() + STANDBY_WAIT_MS);
        start = System.currentTimeMillis();
        String name = FaultCluster.managerName(m);
        switch (f.kind()) {
            case LEADER_KILL -> {
                processes.kill9(name);
                long killed = System.currentTimeMillis();
                sleepUntil(killed + f.durationMs());
                processes.restart(name);
                injected.add(new Injected(f.kind(), name, killed, System.currentTimeMillis(), "kill -9, restarted"
                        + standby));
            }
            case LEADER_STOP_IN_TRANSACTION -> {
                String note = stopInTransaction(name);
                long stopped = System.currentTimeMillis();
                sleepUntil(stopped + f.durationMs());
                processes.resume(name);
                injected.add(new Injected(f.kind(), name, stopped, System.currentTimeMillis(), note + standby));
            }
            default -> {
                processes.stop(name, false);
                long stopped = System.currentTimeMillis();
                sleepUntil(stopped + f.durationMs());
                processes.resume(name);
                injected.add(new Injected(f.kind(), name, stopped, System.currentTimeMillis(), "SIGSTOP, SIGCONT"
                        + standby));
            }
        }
    }

    /**
     * Steps the wall clock of the lease holder or of an assistant (its workers with it) by the fault's step, and back
     * to the true time after its duration, as NTP stepping a drifted clock twice would. Its monotonic clock runs on.
     */
    private void clockStep(Fault f, long start) throws Exception {
        if (clocks == null) {
            injected.add(new Injected(f.kind(), "-", start, start, SKIPPED + ": " + noClocks));
            return;
        }
        String name;
        if (f.target() == Fault.LEADER) {
            int m = awaitLeader(start + 15_000);
            if (m < 0) {
                injected.add(new Injected(f.kind(), "leader", start, start, SKIPPED + ": no leader within 15 s"));
                return;
            }
            name = FaultCluster.managerName(m);
        } else {
            name = FaultCluster.assistantName(f.target());
        }
        clocks.step(name, f.stepMs());
        long stepped = System.currentTimeMillis();
        sleepUntil(stepped + f.durationMs());
        clocks.step(name, 0);
        injected.add(new Injected(f.kind(), name, stepped, System.currentTimeMillis(), String.format(
                "wall clock stepped %+d s%s, back after %.1f s; monotonic clock untouched (each step lands within 1 s)",
                f.stepMs() / 1000, name.startsWith("assistant") ? " (and its workers')" : "", f.durationMs() / 1000.0)));
    }

    /**
     * Stops the manager the moment one of its sessions has a transaction open (polled every 2 ms). If the
     * transaction ended before the stop landed, the manager is continued at once and the next one is tried, for up
     * to 5 s; then it is stopped as it is. Says how it ended.
     */
    private String stopInTransaction(String name) {
        String open = "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + name
                + "' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()";
        String idle = "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + name
                + "' AND state LIKE 'idle in transaction%'";
        long until = System.currentTimeMillis() + 5_000;
        int tries = 0;
        try (Connection c = db.connect()) {
            while (System.currentTimeMillis() < until) {
                if (Pg.count(c, open) > 0) {
                    processes.stop(name, false);
                    tries++;
                    Thread.sleep(50);
                    long still = Pg.count(c, idle);
                    if (still > 0) {
                        return "SIGSTOP inside a transaction (" + still + " session idle in transaction, try " + tries
                                + ")";
                    }
                    processes.resume(name);
                }
                Thread.sleep(2);
            }
        } catch (SQLException e) {
            // fall through: stop it anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!processes.isStopped(name)) {
            processes.stop(name, false);
        }
        return "SIGSTOP outside a transaction (" + tries + " tries to land inside one within 5 s)";
    }

    private List<ProcessHandle> workers(String assistant) {
        Process p = processes.process(assistant);
        return p == null ? List.of() : p.descendants()
                .filter(h -> h.isAlive() && h.info().arguments().map(args -> List.of(args).stream()
                        .anyMatch(x -> x.startsWith("--port="))).orElse(false))
                .sorted(Comparator.comparingLong(ProcessHandle::pid)).toList();
    }

    /**
     * What an operator does when no manager leads: restarts (kill -9, start) every manager that is alive but
     * answers a leader-only call, or hangs on it, without holding the lease. Returns their names.
     */
    List<String> restartHalfLeading() throws InterruptedException {
        List<String> restarted = new java.util.ArrayList<>();
        for (int m = 0; m < cluster.managerPorts.size(); m++) {
            if (monitor.askAsLeader(m) != null || monitor.askAsLeader(m) != null) {
                String name = FaultCluster.managerName(m);
                processes.kill9(name);
                processes.restart(name);
                restarted.add(name);
                operatorRestarts.add(name + " at " + System.currentTimeMillis());
            }
        }
        return restarted;
    }

    List<String> operatorRestarts() {
        return List.copyOf(operatorRestarts);
    }

    static final long STANDBY_WAIT_MS = 60_000;

    /**
     * Before a fault that needs a standby to take over (a leader fault, the database refusing connections): waits
     * until every manager but the leader {@code leader} is running, not stopped, and standing by (it has asked
     * for the lease since it started), for up to {@code untilMs}. One fault at a time: a manager that exited after the previous
     * fault and is still starting (seconds on a quiet machine, up to a minute on a loaded one) is that fault's
     * aftermath, and the leaderless goal presumes a standby. Returns a note for the report ("" when none waited).
     */
    private String awaitStandbys(int leader, long untilMs) throws InterruptedException {
        long from = System.currentTimeMillis();
        while (true) {
            List<String> missing = new java.util.ArrayList<>();
            for (int m = 0; m < cluster.managerPorts.size(); m++) {
                String name = FaultCluster.managerName(m);
                Process p = processes.process(name);
                if (m != leader && (p == null || !p.isAlive() || processes.isStopped(name) || !standingBy(name))) {
                    missing.add(name);
                }
            }
            long waited = System.currentTimeMillis() - from;
            if (missing.isEmpty()) {
                return waited < 200 ? "" : String.format("; waited %.1f s for the standby to be up", waited / 1000.0);
            }
            if (System.currentTimeMillis() > untilMs) {
                return String.format("; no standby after %.0f s (%s not up)", waited / 1000.0, missing);
            }
            Thread.sleep(200);
            processes.superviseOnce();
        }
    }

    /**
     * Whether the manager campaigns: since its last start it has said it stands by (it asked for the lease and
     * found it held), and it has not led and stepped down since (seed 2 of a strict IT run: a manager stepping down
     * after a database refusal passed for a standby, the leader was killed, and nobody led for 10.7 s). A database session alone is not enough: on a loaded machine a starting manager migrates
     * and opens its servers for 10-20 s before its first try.
     */
    private boolean standingBy(String manager) {
        String log = processes.logSinceStart(manager);
        // Not one that led and is stepping down: it exits (status 3) and must be restarted first.
        return log.contains("Standby: another manager holds the leader lease") && !log.contains("lost the leader lease")
                && !log.contains("Manager stopping");
    }

    private int awaitLeader(long untilMs) throws InterruptedException {
        while (true) {
            String holder = monitor.holder();
            int m = holder == null ? -1 : cluster.managerOf(holder);
            if (m >= 0 && !processes.isStopped(FaultCluster.managerName(m))) {
                return m;
            }
            if (System.currentTimeMillis() > untilMs) {
                return -1;
            }
            Thread.sleep(100);
        }
    }

    private void sleepUntil(long ms) throws InterruptedException {
        long left;
        while ((left = ms - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(left, 200));
            processes.superviseOnce();
        }
    }
}

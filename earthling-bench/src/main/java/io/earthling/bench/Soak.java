package io.earthling.bench;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earthling-bench soak}: Earthling's manager and one assistant as two processes on a fresh PostgreSQL database,
 * retention on, jobs submitted at a fixed rate for a long time, a sample every 10 s into {@code soak.csv}, then charts
 * and a summary that compares the first window after warm-up with the last one (docs/benchmarks.md, "Soak").
 *
 * <p>The mix, by key: of every 100 jobs, 90 do nothing, 7 wait 10 ms, 2 wait 100 ms and 1 fails each of its 3
 * attempts and dies (after backoffs of about 1 s and 2 s). Waiting jobs and failing ones log a line (job_logs).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Runs Earthling at a fixed rate with retention on for a long time and samples it every 10 s.")
final class Soak implements Callable<Integer> {
    static final int FAIL_ATTEMPTS = 3;
    /** Beyond its retention age, a finished job may wait for the next pass (30 s) and that pass's own work. */
    static final int RETENTION_GRACE_S = 60;
    private static final Pattern AGE = Pattern.compile("[1-9][0-9]*[smhd]");

    @Spec
    CommandSpec spec;

    @Option(names = "--pg", paramLabel = "URL", description = "JDBC URL of any database on the PostgreSQL server to "
            + "use; the soak creates and drops its own (default: $EARTHLING_PG_URL or the local test database).")
    String pg = System.getenv().getOrDefault("EARTHLING_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @Option(names = "--db", paramLabel = "NAME", description = "The soak's database, dropped and created at the start "
            + "(default: ${DEFAULT-VALUE}).")
    String db = "earthling_soak";

    @Option(names = "--keep-db", description = "Keeps the soak's database after the run, for a look inside.")
    boolean keepDb;

    @Option(names = "--rate", paramLabel = "JOBS_PER_S", description = "Jobs submitted per second (default: ${DEFAULT-VALUE}).")
    int rate = 500;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Seconds of submitting (default: ${DEFAULT-VALUE}).")
    int durationS = 3600;

    @Option(names = "--warm-up", paramLabel = "SECONDS", description = "Seconds after the start that the comparison "
            + "skips; longer than the longest retention age, so the tables have reached their plateau "
            + "(default: ${DEFAULT-VALUE}).")
    int warmUpS = 720;

    @Option(names = "--window", paramLabel = "SECONDS", description = "Length of the first and the last window that "
            + "the summary compares (default: ${DEFAULT-VALUE}).")
    int windowS = 600;

    @Option(names = "--sample", paramLabel = "SECONDS", description = "Seconds between samples (default: ${DEFAULT-VALUE}).")
    int sampleS = 10;

    @Option(names = "--workers", paramLabel = "N", description = "Worker processes of the assistant (default: ${DEFAULT-VALUE}).")
    int workers = 4;

    @Option(names = "--heap", paramLabel = "SIZE", description = "Maximum heap of the manager and of the assistant, as "
            + "in -Xmx; a bounded heap makes old-generation collections happen within the hour (default: ${DEFAULT-VALUE}).")
    String heap = "256m";

    @Option(names = "--retention-succeeded", paramLabel = "AGE", description = "retention.succeeded of the soak "
            + "(default: ${DEFAULT-VALUE}).")
    String succeeded = "5m";

    @Option(names = "--retention-dead", paramLabel = "AGE", description = "retention.dead and retention.cancelled of "
            + "the soak (default: ${DEFAULT-VALUE}).")
    String dead = "10m";

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", description = "Seconds to wait after the last submit "
            + "for every job to finish (default: ${DEFAULT-VALUE}).")
    int drainS = 120;

    @Option(names = "--retention-wait", paramLabel = "SECONDS", description = "After the drain, seconds to wait for "
            + "retention to delete every job of the run, for runs with ages of a few seconds; 0 does not wait "
            + "(default: ${DEFAULT-VALUE}).")
    int retentionWaitS = 0;

    @Option(names = "--vacuum-every", paramLabel = "SECONDS", description = "Seconds between the soak's own VACUUM of "
            + "the job tables; -1: every 60 s where the server has autovacuum off, else never; 0: never "
            + "(default: ${DEFAULT-VALUE}).")
    int vacuumEveryS = -1;

    @Option(names = "--charts-only", description = "Writes the charts again from <out>/soak.csv and runs nothing.")
    boolean chartsOnly;

    @Option(names = "--out", paramLabel = "DIR", description = "Where soak.csv, the charts, summary.md and the "
            + "processes' logs go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target", "soak");

    /** What a run produced, for the smoke test. */
    record Outcome(int submitted, int done, int duplicates, int samples, long overdueAtEnd, long orphanEvents,
            long orphanLogs, long jobsRowsAtEnd, long eventsRowsAtEnd, long logsRowsAtEnd,
            List<SoakSummary.Check> checks) {
    }

    private Outcome outcome;
    private SoakVacuum vacuum;
    private boolean autovacuumOff;

    Outcome outcome() {
        return outcome;
    }

    @Override
    public Integer call() throws Exception {
        if (chartsOnly) {
            SoakCharts.write(out, SoakCharts.read(out.resolve("soak.csv")), warmUpS, windowS, durationS);
            System.out.println("soak: charts in " + out);
            return 0;
        }
        validate();
        Files.createDirectories(out);
        Path logs = Files.createDirectories(out.resolve("logs"));
        PgAdmin admin = new PgAdmin(pg);
        String url = admin.fresh(db);
        long capacity = (long) rate * (durationS + 5) + 10_000;
        if (capacity > Integer.MAX_VALUE - 16) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate × --duration: at most about 2 billion jobs");
        }
        // originalArgs() holds the whole command line, "soak" included
        String command = "earthling-bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        int httpPort = freePort();
        String yaml = "http: { address: 127.0.0.1, port: " + httpPort + " }\n"
                + "retention: { succeeded: " + succeeded + ", cancelled: " + dead + ", dead: " + dead + " }\n";
        try (Recorder recorder = new Recorder((int) capacity)) {
            EarthlingContender cluster = EarthlingContender.split(yaml, List.of("-Xmx" + heap));
            try (cluster; Connection sql = DriverManager.getConnection(url)) {
                cluster.start(new BenchEnv(url, db, logs, recorder.address()), workers, new BenchJob(0));
                System.out.println("soak: manager pid " + cluster.managerProcess().pid() + ", assistant pid "
                        + cluster.assistantProcess().pid() + ", database " + db + ", " + rate + " jobs/s for "
                        + durationS + " s; samples go to " + out.resolve("soak.csv"));
                autovacuumOff = SoakVacuum.autovacuumOff(sql);
                int every = vacuumEveryS >= 0 ? vacuumEveryS : autovacuumOff ? 60 : 0;
                vacuum = every > 0 ? new SoakVacuum(url, every).start() : null;
                try {
                    outcome = run(cluster, recorder, sql, logs, command, started);
                } finally {
                    if (vacuum != null) {
                        vacuum.close();
                    }
                }
            } finally {
                if (!keepDb) {
                    dropDatabase();
                }
            }
        }
        System.out.println("soak: summary in " + out.resolve("summary.md"));
        boolean complete = outcome.done() == outcome.submitted();
        return complete ? 0 : 1;
    }

    private Outcome run(EarthlingContender cluster, Recorder recorder, Connection sql, Path logs, String command,
                        String started) throws Exception {
        Submitter submitter = new Submitter(cluster.client(), recorder);
        Sampler sampler = new Sampler(cluster, recorder, sql, logs, submitter);
        List<SoakRow> rows = new ArrayList<>();
        List<int[]> keyRanges = new ArrayList<>();
        Path csv = out.resolve("soak.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write(SoakRow.header());
            w.newLine();
            long t0 = System.nanoTime();
            Thread feeder = new Thread(() -> submitter.run(t0, durationS), "soak-submit");
            feeder.start();
            sampler.begin(t0);
            SoakRow pending = null;
            int[] pendingKeys = null;
            boolean drained = false;
            long drainDeadline = 0;
            for (int i = 1; ; i++) {
                long due = t0 + TimeUnit.SECONDS.toNanos((long) i * sampleS);
                LockSupport.parkNanos(due - System.nanoTime());
                int from = sampler.lastSent;
                SoakRow row = sampler.sample();
                int[] keys = {from, sampler.lastSent};
                if (pending != null) {
                    pending = finish(pending, pendingKeys, recorder);
                    rows.add(pending);
                    keyRanges.add(pendingKeys);
                    w.write(pending.csv());
                    w.newLine();
                    w.flush();
                }
                pending = row;
                pendingKeys = keys;
                if (!feeder.isAlive()) {
                    if (drainDeadline == 0) {
                        drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainS);
                    }
                    drained = recorder.done() >= submitter.sent.get();
                    if (drained || System.nanoTime() > drainDeadline) {
                        break;
                    }
                }
            }
            pending = finish(pending, pendingKeys, recorder);
            rows.add(pending);
            keyRanges.add(pendingKeys);
            w.write(pending.csv());
            w.newLine();
            if (submitter.failure.get() != null) {
                System.out.println("soak: a submit failed and was retried: " + submitter.failure.get());
            }
        }
        waitForRetention(sql);
        long overdue = overdue(sql);
        long orphanEvents = count(sql, "SELECT count(*) FROM job_events e WHERE NOT EXISTS "
                + "(SELECT 1 FROM jobs j WHERE j.id = e.job_id)");
        long orphanLogs = count(sql, "SELECT count(*) FROM job_logs l WHERE NOT EXISTS "
                + "(SELECT 1 FROM jobs j WHERE j.id = l.job_id)");
        long jobsAtEnd = count(sql, "SELECT count(*) FROM jobs");
        long eventsAtEnd = count(sql, "SELECT count(*) FROM job_events");
        long logsAtEnd = count(sql, "SELECT count(*) FROM job_logs");
        Map<String, Long> states = states(sql);

        double end = durationS;
        List<SoakRow> first = SoakSummary.window(rows, warmUpS, warmUpS + windowS);
        List<SoakRow> last = SoakSummary.window(rows, end - windowS, end);
        double p99First = windowPickup(recorder, rows, keyRanges, warmUpS, warmUpS + windowS);
        double p99Last = windowPickup(recorder, rows, keyRanges, end - windowS, end);
        List<SoakSummary.Check> checks = first.isEmpty() || last.isEmpty() || warmUpS + windowS > end - windowS
                ? List.of() : SoakSummary.checks(first, last, p99First, p99Last);
        Outcome o = new Outcome(submitter.sent.get(), recorder.done(), recorder.duplicates(), rows.size(), overdue,
                orphanEvents, orphanLogs, jobsAtEnd, eventsAtEnd, logsAtEnd, checks);
        Files.writeString(out.resolve("summary.md"), summary(o, rows, first, last, states, command, started));
        SoakCharts.write(out, rows, warmUpS, windowS, end);
        System.out.print(Files.readString(out.resolve("summary.md")));
        return o;
    }

    /** The pending row's pickup, now that its jobs had an interval to start (an unstarted job counts its wait so far). */
    private static SoakRow finish(SoakRow row, int[] keys, Recorder r) {
        long[] p = pickups(r, keys[0], keys[1]);
        return row.withPickup(PickupLatency.pct(p, 50), PickupLatency.pct(p, 99), PickupLatency.pct(p, 100));
    }

    private static long[] pickups(Recorder r, int from, int to) {
        long now = Recorder.nowMicros();
        long[] p = new long[to - from];
        for (int k = from; k < to; k++) {
            long s = r.startedMicros(k);
            p[k - from] = Math.max(0, (s == 0 ? now : s) - r.committedMicros(k));
        }
        return p;
    }

    private static double windowPickup(Recorder r, List<SoakRow> rows, List<int[]> keyRanges, double from, double to) {
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        for (int i = 0; i < rows.size(); i++) {
            double t = rows.get(i).tSeconds();
            if (t > from && t <= to) {
                lo = Math.min(lo, keyRanges.get(i)[0]);
                hi = Math.max(hi, keyRanges.get(i)[1]);
            }
        }
        return hi <= lo ? Double.NaN : PickupLatency.pct(pickups(r, lo, hi), 99);
    }

    /** Waits, at most --retention-wait seconds, until retention has deleted every job (the run has drained). */
    private void waitForRetention(Connection sql) throws Exception {
        if (retentionWaitS <= 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(retentionWaitS);
        while (count(sql, "SELECT count(*) FROM jobs") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500); // polling the database for a condition
        }
    }

    private long overdue(Connection sql) throws SQLException {
        long s = seconds(succeeded) + RETENTION_GRACE_S;
        long d = seconds(dead) + RETENTION_GRACE_S;
        return count(sql, "SELECT count(*) FROM jobs WHERE finished_at < now() - make_interval(secs => CASE state"
                + " WHEN 'SUCCEEDED' THEN " + s + " WHEN 'DEAD' THEN " + d + " WHEN 'CANCELLED' THEN " + d
                + " ELSE 1e9 END)");
    }

    static long seconds(String age) {
        long n = Long.parseLong(age.substring(0, age.length() - 1));
        return switch (age.charAt(age.length() - 1)) {
            case 's' -> n;
            case 'm' -> n * 60;
            case 'h' -> n * 3600;
            default -> n * 86400;
        };
    }

    private static Map<String, Long> states(Connection sql) throws SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Statement s = sql.createStatement();
             ResultSet rs = s.executeQuery("SELECT state, count(*) FROM jobs GROUP BY state ORDER BY state")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    static long count(Connection sql, String query) throws SQLException {
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String summary(Outcome o, List<SoakRow> rows, List<SoakRow> first, List<SoakRow> last,
                           Map<String, Long> states, String command, String started) {
        StringBuilder s = new StringBuilder("# Soak\n\n");
        s.append("- Command: `").append(command).append("`\n");
        s.append("- Started: ").append(started).append("; ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; load average (1 min) over the run: mean ")
                .append(fmt(SoakSummary.mean(rows, SoakRow::load1))).append(", max ")
                .append(fmt(rows.stream().mapToDouble(SoakRow::load1).max().orElse(0))).append("\n");
        s.append(String.format(Locale.ROOT, "- Load: %d jobs/s for %d s; retention succeeded %s, dead and cancelled %s;"
                + " %d worker processes; manager and assistant -Xmx%s%n", rate, durationS, succeeded, dead, workers, heap));
        s.append("- Vacuum: ").append(vacuum == null ? (autovacuumOff ? "none (the server has autovacuum off)"
                : "the server's autovacuum") : "the soak ran " + vacuum.describe()
                + (autovacuumOff ? " (the server has autovacuum off)" : "")).append("\n");
        s.append(String.format(Locale.ROOT, "- Jobs: %,d submitted, %,d finished (%,d reported twice), %d samples%n",
                o.submitted(), o.done(), o.duplicates(), o.samples()));
        s.append(String.format(Locale.ROOT, "- Windows compared: (%d s, %d s] against (%d s, %d s]%n", warmUpS,
                warmUpS + windowS, durationS - windowS, durationS));
        s.append("\n");
        if (o.checks().isEmpty()) {
            s.append("Too short for a comparison: the run needs warm-up plus two windows.\n");
        } else {
            s.append(SoakSummary.table(o.checks()));
            long failed = o.checks().stream().filter(c -> !c.pass()).count();
            s.append("\n").append(failed == 0 ? "Every goal met." : failed + " goal(s) missed.").append("\n");
        }
        s.append("\n## Retention\n\n");
        long sAge = seconds(succeeded);
        long dAge = seconds(dead);
        double done = SoakSummary.mean(last.isEmpty() ? rows : last, SoakRow::completedPerS);
        s.append(String.format(Locale.ROOT, "At %.0f jobs/s finished, retention should keep about %,.0f to %,.0f "
                + "SUCCEEDED jobs (99 %% of the rate for %d s, plus up to a %d s pass) and %,.0f to %,.0f DEAD ones "
                + "(1 %% for %d s plus the same).%n%n", done, done * 0.99 * sAge, done * 0.99 * (sAge + 30),
                sAge, 30, done * 0.01 * dAge, done * 0.01 * (dAge + 30), dAge));
        s.append("| | rows |\n|---|---:|\n");
        if (!last.isEmpty()) {
            s.append(String.format(Locale.ROOT, "| jobs, mean of the last window | %,.0f |%n",
                    SoakSummary.mean(last, SoakRow::jobsRows)));
            s.append(String.format(Locale.ROOT, "| job_events, mean of the last window | %,.0f |%n",
                    SoakSummary.mean(last, SoakRow::eventsRows)));
            s.append(String.format(Locale.ROOT, "| job_logs, mean of the last window | %,.0f |%n",
                    SoakSummary.mean(last, SoakRow::logsRows)));
        }
        states.forEach((state, n) -> s.append(String.format(Locale.ROOT, "| jobs %s at the end | %,d |%n", state, n)));
        s.append(String.format(Locale.ROOT, "| jobs past their age + %d s, most in any sample | %,d |%n",
                RETENTION_GRACE_S, rows.stream().mapToLong(SoakRow::overdueRows).max().orElse(0)));
        s.append(String.format(Locale.ROOT, "| jobs past their age + %d s, at the end | %,d |%n", RETENTION_GRACE_S,
                o.overdueAtEnd()));
        s.append(String.format(Locale.ROOT, "| job_events / job_logs rows without their job, at the end | %,d / %,d |%n",
                o.orphanEvents(), o.orphanLogs()));
        if (retentionWaitS > 0) {
            s.append(String.format(Locale.ROOT, "| jobs / job_events / job_logs rows after waiting up to %d s for "
                    + "retention | %,d / %,d / %,d |%n", retentionWaitS, o.jobsRowsAtEnd(), o.eventsRowsAtEnd(),
                    o.logsRowsAtEnd()));
        }
        return s.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (rate < 1) {
            throw new CommandLine.ParameterException(cl, "--rate: at least 1 job/s, got " + rate);
        }
        if (sampleS < 1 || durationS < sampleS) {
            throw new CommandLine.ParameterException(cl, "--sample: at least 1 s and at most --duration, got " + sampleS);
        }
        for (String[] age : new String[][] {{"--retention-succeeded", succeeded}, {"--retention-dead", dead}}) {
            if (!AGE.matcher(age[1]).matches()) {
                throw new CommandLine.ParameterException(cl, age[0] + ": a duration like 90s, 5m or 1h, got \""
                        + age[1] + "\"");
            }
        }
        if (!db.matches("[a-z_][a-z0-9_]*")) {
            throw new CommandLine.ParameterException(cl, "--db: lower-case letters, digits and _, got \"" + db + "\"");
        }
    }

    private void dropDatabase() {
        try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        } catch (SQLException e) {
            System.out.println("soak: could not drop database " + db + " (" + e.getMessage() + "); drop it by hand");
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The job of key k: what it does follows from k alone (see the class comment). */
    static JobSpec spec(int k, String recorder) {
        int slot = k % 100;
        String base = "{\"k\":" + k + ",\"r\":\"" + recorder + "\"";
        if (slot == 99) {
            return JobSpec.of(SoakHandler.TYPE, base + ",\"fail\":true,\"attempts\":" + FAIL_ATTEMPTS + "}")
                    .withMaxAttempts(FAIL_ATTEMPTS);
        }
        int ms = slot < 90 ? 0 : slot < 97 ? 10 : 100;
        return JobSpec.of(SoakHandler.TYPE, base + ",\"ms\":" + ms + "}");
    }

    /**
     * Submits at the fixed rate: every 10 ms a batch brings the count up to rate × elapsed time, so a slow commit
     * makes the next batch bigger and the schedule holds (as {@link PickupLatency}).
     */
    private final class Submitter {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        private final EarthlingClient client;
        private final Recorder recorder;

        Submitter(EarthlingClient client, Recorder recorder) {
            this.client = client;
            this.recorder = recorder;
        }

        void run(long t0, int seconds) {
            long total = (long) rate * seconds;
            int n = sent.get();
            for (long tick = 0; n < total; tick++) {
                LockSupport.parkNanos(t0 + tick * PickupLatency.TICK_NANOS - System.nanoTime());
                long target = Math.min(total, (System.nanoTime() - t0) * rate / 1_000_000_000L + 1);
                if (target <= n) {
                    continue;
                }
                int to = (int) Math.min(target, n + 10_000L); // the manager's limits.maxBatch
                List<JobSpec> specs = new ArrayList<>(to - n);
                for (int k = n; k < to; k++) {
                    specs.add(spec(k, recorder.address()));
                }
                try {
                    client.submitAll(specs);
                } catch (RuntimeException e) {
                    failure.set(e.toString()); // the client already retried what is retryable: try again next tick
                    continue;
                }
                recorder.committed(n, to, Recorder.nowMicros());
                n = to;
                sent.set(n);
            }
        }
    }

    /** Reads one sample: counters from this process, heaps from the JVMs, sizes from PostgreSQL. */
    private final class Sampler {
        private final EarthlingContender cluster;
        private final Recorder recorder;
        private final Connection sql;
        private final Submitter submitter;
        private final GcLog managerGc;
        private final GcLog assistantGc;
        private long lastNanos;
        private long t0;
        int lastSent;
        private int lastDone;
        private double managerAfter;
        private double assistantAfter;

        Sampler(EarthlingContender cluster, Recorder recorder, Connection sql, Path logs, Submitter submitter) {
            this.cluster = cluster;
            this.recorder = recorder;
            this.sql = sql;
            this.submitter = submitter;
            this.managerGc = new GcLog(logs.resolve("earthling-manager-gc.log"));
            this.assistantGc = new GcLog(logs.resolve("earthling-assistant-gc.log"));
        }

        void begin(long t0) {
            this.t0 = t0;
            this.lastNanos = t0;
        }

        SoakRow sample() throws Exception {
            long now = System.nanoTime();
            double dt = (now - lastNanos) / 1e9;
            int sent = submitter.sent.get();
            int done = recorder.done();
            double submittedPerS = (sent - lastSent) / dt;
            double completedPerS = (done - lastDone) / dt;
            lastNanos = now;
            lastSent = sent;
            lastDone = done;
            HsPerf.Heap manager = HsPerf.heap(cluster.managerProcess().pid());
            HsPerf.Heap assistant = HsPerf.heap(cluster.assistantProcess().pid());
            HsPerf.Heap workersHeap = cluster.assistantProcess().descendants()
                    .map(p -> HsPerf.heap(p.pid())).reduce(HsPerf.Heap.NONE, HsPerf.Heap::plus);
            managerAfter = afterGc(managerGc.poll(), managerAfter);
            assistantAfter = afterGc(assistantGc.poll(), assistantAfter);
            Map<String, long[]> t = tables();
            long[] jobs = t.get("jobs");
            long[] events = t.get("job_events");
            long[] logs = t.get("job_logs");
            return new SoakRow((now - t0) / 1e9, load1(), submittedPerS, completedPerS, sent - done, 0, 0, 0,
                    mb(manager.usedBytes()), managerAfter, mb(assistant.usedBytes()), assistantAfter,
                    mb(workersHeap.usedBytes()), jobs[0], events[0], logs[0], mb(jobs[1]), mb(events[1]), mb(logs[1]),
                    jobs[2], events[2], logs[2], overdue(sql));
        }

        private double afterGc(GcLog.Interval i, double previous) {
            return i.minAfterBytes() >= 0 ? mb(i.minAfterBytes()) : previous;
        }

        /** Per table: exact rows, total bytes (table, indexes, TOAST), dead tuples. */
        private Map<String, long[]> tables() throws SQLException {
            Map<String, long[]> m = new LinkedHashMap<>();
            for (String table : List.of("jobs", "job_events", "job_logs")) {
                m.put(table, new long[] {count(sql, "SELECT count(*) FROM " + table), 0, 0});
            }
            try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("SELECT relname, "
                    + "pg_total_relation_size(relid), n_dead_tup FROM pg_stat_user_tables"
                    + " WHERE relname IN ('jobs', 'job_events', 'job_logs')")) {
                while (rs.next()) {
                    long[] v = m.get(rs.getString(1));
                    v[1] = rs.getLong(2);
                    v[2] = rs.getLong(3);
                }
            }
            return m;
        }
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

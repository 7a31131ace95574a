package io.earthling.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jobs entering the way users and other systems add them, while the faults happen: {@code earthling submit} with
 * {@code --count}, with one {@code --idempotency-key} submitted two or three times (sometimes at once), with a
 * JSON-lines {@code --file} (some lines keyed, sometimes submitted twice), split jobs ({@code fanout}, whose gather
 * sums its children), and plain {@code INSERT INTO jobs} rows committed by JDBC. Every job but a split's children
 * and gather job carries a {@code tag} in its payload, unique per submission (or per key), so the reconciliation can find the jobs of each
 * acknowledged submission. A CLI call is acknowledged when it exits 0; an insert when its commit returns.
 */
final class Workload {
    /** One submission: {@code expected} jobs with payload tag {@code tag} if {@code acked}. */
    record Submission(long atMs, String via, String tag, int expected, String key, List<Long> ids, int splitWidth,
                      boolean acked, String error) {
    }

    static final long CLI_TIMEOUT_MS = 60_000;
    private static final Pattern ONE = Pattern.compile("submitted job (\\d+)");
    private static final Pattern MANY = Pattern.compile("ids (\\d+)\\.\\.(\\d+)");

    private final FaultCluster cluster;
    private final Processes processes;
    private final Monitor monitor;
    private final Pg db;
    private final Path dir;
    private final List<Submission> submissions = new CopyOnWriteArrayList<>();

    Workload(FaultCluster cluster, Processes processes, Monitor monitor, Pg db, Path dir) {
        this.cluster = cluster;
        this.processes = processes;
        this.monitor = monitor;
        this.db = db;
        this.dir = dir;
    }

    List<Submission> submissions() {
        return List.copyOf(submissions);
    }

    /**
     * Before any fault: two wide splits whose children (300-600 ms each) keep the workers busy into the first
     * faults, so every run has gathers to check. (Submitted during the faults, a CLI may meet a stopped leader and
     * wait out its deadline, and splits then go unacknowledged.)
     */
    void warmUp(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 2; i++) {
            int width = 60 + r.nextInt(41);
            String tag = "s" + Long.toHexString(seed) + "-w" + i;
            cli("split", tag, 1, null, width, "submit", "fanout", "--payload",
                    "{\"width\":" + width + ",\"sleepMs\":" + (300 + r.nextInt(300)) + ",\"tag\":\"" + tag + "\"}");
        }
    }

    /** Runs submissions drawn from {@code seed} while {@code going} says so; blocking. */
    void run(long seed, int lane, java.util.function.BooleanSupplier going) {
        Random r = new Random(seed * 31 + lane);
        int n = 0;
        while (going.getAsBoolean()) {
            String id = "s" + Long.toHexString(seed) + "-" + lane + "-" + n++;
            // Lane 0 inserts rows by SQL (quick, in this process); the others run the CLI, which a stopped or
            // half-leading manager can hold for the whole CLI deadline.
            int pick = lane == 0 ? 100 : r.nextInt(100);
            if (pick < 35) {
                count(id, r);
            } else if (pick < 55) {
                keyed(id, r);
            } else if (pick < 75) {
                file(id, r);
            } else if (pick < 100) {
                split(id, r);
            } else {
                sql(id, r);
            }
            sleep(lane == 0 ? 700 + r.nextInt(800) : 300 + r.nextInt(500));
        }
    }

    private String payload(String tag, Random r) {
        return "{\"dir\":\"" + cluster.evidenceDir + "\",\"sleepMs\":" + (10 + r.nextInt(300)) + ",\"tag\":\"" + tag
                + "\"}";
    }

    private void count(String tag, Random r) {
        int n = 5 + r.nextInt(60);
        cli("cli-count", tag, n, null, 0, "submit", EvidenceHandler.TYPE, "--payload", payload(tag, r), "--count",
                String.valueOf(n));
    }

    private void keyed(String id, Random r) {
        String key = "k-" + id;
        String tag = "key:" + key;
        String payload = payload(tag, r);
        int times = 2 + r.nextInt(2);
        boolean together = r.nextBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            Runnable submit = () -> cli("cli-key", tag, 1, key, 0, "submit", EvidenceHandler.TYPE, "--payload",
                    payload, "--idempotency-key", key);
            if (together) {
                Thread t = new Thread(submit, "faults-keyed-" + i);
                t.start();
                threads.add(t);
            } else {
                submit.run();
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void file(String id, Random r) {
        int lines = 5 + r.nextInt(30);
        List<String> keys = new ArrayList<>();
        List<String> keyedPayloads = new ArrayList<>();
        for (int i = 0; i < lines / 3; i++) {
            String key = "f-" + id + "-" + i;
            keys.add(key);
            keyedPayloads.add(payload("key:" + key, r));
        }
        int times = r.nextInt(100) < 30 ? 2 : 1;
        for (int t = 0; t < times; t++) {
            String tag = id + "-f" + t;
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                text.append("{\"type\":\"").append(EvidenceHandler.TYPE).append("\",\"payload\":")
                        .append(keyedPayloads.get(i)).append(",\"idempotencyKey\":\"").append(keys.get(i)).append("\"}\n");
            }
            int plain = lines - keys.size();
            for (int i = 0; i < plain; i++) {
                text.append("{\"type\":\"").append(EvidenceHandler.TYPE).append("\",\"payload\":")
                        .append(payload(tag, r)).append("}\n");
            }
            Path file = dir.resolve("jobs-" + tag + ".jsonl");
            try {
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Submission s = cli("cli-file", tag, plain, null, 0, "submit", "--file", file.toString());
            for (String key : keys) {
                submissions.add(new Submission(s.atMs(), "cli-file", "key:" + key, 1, key, List.of(), 0, s.acked(),
                        s.error()));
            }
        }
    }

    private void split(String tag, Random r) {
        int width = 5 + r.nextInt(36);
        // Children of 50-550 ms on nine workers: a split of 40 lasts a few seconds, long enough to meet a fault.
        cli("split", tag, 1, null, width, "submit", "fanout", "--payload",
                "{\"width\":" + width + ",\"sleepMs\":" + (50 + r.nextInt(500)) + ",\"tag\":\"" + tag + "\"}");
    }

    private void sql(String tag, Random r) {
        int n = 3 + r.nextInt(25);
        long at = System.currentTimeMillis();
        StringBuilder insert = new StringBuilder("INSERT INTO jobs (type, payload) VALUES ");
        for (int i = 0; i < n; i++) {
            insert.append(i == 0 ? "" : ", ").append("('").append(EvidenceHandler.TYPE).append("', ?)");
        }
        insert.append(" RETURNING id");
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(insert.toString())) {
            for (int i = 0; i < n; i++) {
                ps.setString(i + 1, payload(tag, r));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            submissions.add(new Submission(at, "sql", tag, n, null, ids, 0, true, null));
        } catch (SQLException e) {
            submissions.add(new Submission(at, "sql", tag, n, null, List.of(), 0, false, "SQL: " + e.getMessage()));
        }
    }

    private Submission cli(String via, String tag, int expected, String key, int splitWidth, String... args) {
        long at = System.currentTimeMillis();
        int m = Math.max(0, cluster.managerOf(String.valueOf(monitor.holder())));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--manager";
        all[args.length + 1] = "127.0.0.1:" + cluster.managerPorts.get(m);
        Processes.CliResult res = processes.cli(CLI_TIMEOUT_MS, all);
        List<Long> ids = new ArrayList<>();
        Matcher one = ONE.matcher(res.output());
        Matcher many = MANY.matcher(res.output());
        if (one.find()) {
            ids.add(Long.parseLong(one.group(1)));
        } else if (many.find()) {
            ids.add(Long.parseLong(many.group(1)));
            ids.add(Long.parseLong(many.group(2)));
        }
        boolean acked = res.exit() == 0;
        String last = res.output().strip().lines().reduce((a, b) -> b).orElse("");
        String error = acked ? null : res.timedOut() ? "CLI killed after " + CLI_TIMEOUT_MS + " ms: " + last
                : "exit " + res.exit() + ": " + last;
        Submission s = new Submission(at, via, tag, expected, key, List.copyOf(ids), splitWidth, acked, error);
        submissions.add(s);
        return s;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.earthling.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The seed's AS-IS design: every worker polls the job table itself, claiming one row at a time with
 * {@code FOR UPDATE SKIP LOCKED} and sleeping {@code pollMs} whenever it finds nothing.
 */
final class PollingContender implements Contender {
    private final long pollMs;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private HikariDataSource ds;
    private BenchJob job;
    private Recorder.Sink sink;

    PollingContender(long pollMs) {
        this.pollMs = pollMs;
    }

    @Override
    public String name() {
        return "polling (" + (pollMs >= 1000 ? pollMs / 1000 + " s" : pollMs + " ms") + ")";
    }

    @Override
    public void start(BenchEnv env, int workerCount, BenchJob job) throws Exception {
        this.job = job;
        this.sink = Recorder.remote(env.recorderAddress());
        HikariConfig cfg = env.pool(workerCount + 1);
        cfg.setAutoCommit(false);
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true"); // the submit batch goes as multi-row INSERTs
        ds = new HikariDataSource(cfg);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE poll_jobs (id bigserial PRIMARY KEY, k int NOT NULL, state text NOT NULL DEFAULT 'PENDING', "
                    + "created_at timestamptz NOT NULL DEFAULT now(), started_at timestamptz, finished_at timestamptz)");
            // Without it the claim query walks every finished row by primary key; the baseline is about polling, not a missing index.
            s.execute("CREATE INDEX poll_jobs_pending ON poll_jobs (id) WHERE state = 'PENDING'");
            c.commit();
        }
        running = true;
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(this::loop, "poll-worker-" + i);
            t.start();
            workers.add(t);
        }
    }

    private void loop() {
        while (running) {
            try {
                long[] claimed = claim();
                if (claimed == null) {
                    Thread.sleep(pollMs);
                    continue;
                }
                job.run((int) claimed[1], sink);
                try (Connection c = ds.getConnection();
                     PreparedStatement done = c.prepareStatement("UPDATE poll_jobs SET state = 'SUCCEEDED', finished_at = now() WHERE id = ?")) {
                    done.setLong(1, claimed[0]);
                    done.executeUpdate();
                    c.commit();
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    /** {id, k} of the claimed row, or null when none is pending. */
    private long[] claim() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement sel = c.prepareStatement(
                     "SELECT id, k FROM poll_jobs WHERE state = 'PENDING' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1");
             PreparedStatement run = c.prepareStatement("UPDATE poll_jobs SET state = 'RUNNING', started_at = now() WHERE id = ?")) {
            long[] row = null;
            try (ResultSet rs = sel.executeQuery()) {
                if (rs.next()) {
                    row = new long[] {rs.getLong(1), rs.getInt(2)};
                }
            }
            if (row != null) {
                run.setLong(1, row[0]);
                run.executeUpdate();
            }
            c.commit();
            return row;
        }
    }

    @Override
    public void submit(int fromKey, int toKey) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ins = c.prepareStatement("INSERT INTO poll_jobs (k) VALUES (?)")) {
            for (int k = fromKey; k < toKey; k++) {
                ins.setInt(1, k);
                ins.addBatch();
            }
            ins.executeBatch();
            c.commit();
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (ds != null) {
            ds.close();
        }
    }
}

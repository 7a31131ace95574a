package io.earthling.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * db-scheduler (com.github.kagkarlsson) embedded in this JVM: one one-time task whose data is the job key, {@code workers}
 * executor threads, and either polling strategy. "Defaults" keeps the documented settings (10 s polling interval, the
 * strategy's documented limits); "tuned" polls every 100 ms and asks the local scheduler to check at once when it
 * schedules something due now.
 */
final class DbSchedulerContender implements Contender {
    private final boolean lockAndFetch;
    private final boolean tuned;
    private HikariDataSource ds;
    private Scheduler scheduler;
    private OneTimeTask<Integer> task;

    DbSchedulerContender(boolean lockAndFetch, boolean tuned) {
        this.lockAndFetch = lockAndFetch;
        this.tuned = tuned;
    }

    @Override
    public String name() {
        return "db-scheduler (" + (lockAndFetch ? "lock-and-fetch" : "fetch") + ", " + (tuned ? "100 ms" : "10 s") + ")";
    }

    @Override
    public void start(BenchEnv env, int workers, BenchJob job) throws Exception {
        // executor threads, plus the polling thread and the submitter/heartbeats
        ds = new HikariDataSource(env.pool(workers + 2));
        try (InputStream in = DbSchedulerContender.class.getResourceAsStream("/db-scheduler/postgresql_tables.sql");
             Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Recorder.Sink sink = Recorder.remote(env.recorderAddress());
        task = Tasks.oneTime("bench", Integer.class).execute((inst, ctx) -> job.run(inst.getData(), sink));
        SchedulerBuilder b = Scheduler.create(ds, task).threads(workers);
        if (lockAndFetch) {
            b.pollUsingLockAndFetch(0.5, 1.0); // the README's suggested limits for lock-and-fetch
        } else {
            b.pollUsingFetch(0.5, 3.0); // the builder's default, spelled out
        }
        if (tuned) {
            b.pollingInterval(Duration.ofMillis(100)).enableImmediateExecution();
        }
        scheduler = b.build();
        scheduler.start();
    }

    @Override
    public void submit(int fromKey, int toKey) {
        List<TaskInstance<?>> batch = new ArrayList<>(toKey - fromKey);
        for (int k = fromKey; k < toKey; k++) {
            batch.add(task.instance(Integer.toString(k), k));
        }
        // 16.x has a batch API: one JDBC batch insert (autocommit) per call.
        scheduler.scheduleBatch(batch, Instant.now());
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
        if (ds != null) {
            ds.close();
        }
    }
}

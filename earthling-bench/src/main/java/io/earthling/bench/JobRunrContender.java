package io.earthling.bench;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * JobRunr (open source) embedded in this JVM: the PostgreSQL storage provider and a background job server with
 * {@code workers} workers, either at its default 15 s poll interval or at the smallest it accepts for a SQL store
 * (5 s; {@code AbstractStorageProvider.validatePollInterval} refuses less).
 */
public final class JobRunrContender implements Contender {
    /** The smallest poll interval JobRunr 8 allows with a SQL storage provider. */
    static final Duration MIN_POLL = Duration.ofSeconds(5);

    // JobRunr stores a job as "call this static method with these arguments", so what the method needs lives here.
    private static volatile BenchJob job;
    private static volatile Recorder.Sink sink;

    private final Duration pollInterval;
    private HikariDataSource ds;
    private JobScheduler scheduler;

    JobRunrContender(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** What every JobRunr job runs. */
    public static void runJob(int key) {
        job.run(key, sink);
    }

    @Override
    public String name() {
        return "JobRunr (poll " + pollInterval.toSeconds() + " s)";
    }

    @Override
    public void start(BenchEnv env, int workers, BenchJob job) throws Exception {
        JobRunrContender.job = job;
        JobRunrContender.sink = Recorder.remote(env.recorderAddress());
        ds = new HikariDataSource(env.pool(workers + 4)); // workers plus JobRunr's zookeeper threads and the submitter
        scheduler = JobRunr.configure()
                .useStorageProvider(new PostgresStorageProvider(ds))
                .useBackgroundJobServer(usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers).andPollInterval(pollInterval))
                .initialize()
                .getJobScheduler();
        BackgroundJobServer server = JobRunr.getBackgroundJobServer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.isAnnounced()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("JobRunr's background job server did not announce itself");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void submit(int fromKey, int toKey) {
        // JobRunr saves a stream in batches of its own (AbstractJobScheduler.BATCH_SIZE) through StorageProvider.save(List).
        scheduler.enqueue(IntStream.range(fromKey, toKey).boxed(), k -> JobRunrContender.runJob(k));
    }

    @Override
    public void close() {
        JobRunr.destroy(); // stops the background job server and closes the storage provider
        if (ds != null) {
            ds.close();
        }
    }
}

package io.earthling.bench;

/**
 * One system under test. It runs {@code workers} worker slots against its own fresh database and, for every
 * job, calls {@link BenchJob#run} with the job's key (0, 1, 2, ...), which records when the handler started and
 * ended. Implementations use the system's documented public API only.
 */
public interface Contender extends AutoCloseable {
    /** A short label for the report, e.g. {@code "db-scheduler (lock-and-fetch, 10 ms)"}. */
    String name();

    /** Starts the system; returns when it is ready to take jobs. */
    void start(BenchEnv env, int workers, BenchJob job) throws Exception;

    /**
     * Submits jobs {@code keys[from]..keys[to-1]} in one durable batch (or as close to that as the system allows);
     * returns once they are committed.
     */
    void submit(int fromKey, int toKey) throws Exception;

    /** Stops the system and releases its connections. */
    @Override
    void close() throws Exception;
}

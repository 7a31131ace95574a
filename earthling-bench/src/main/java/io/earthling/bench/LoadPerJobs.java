package io.earthling.bench;

/**
 * What a throughput run costs the database, scaled to 10,000 jobs: transactions, statements and PostgreSQL CPU
 * seconds from just before the first submit until every count of the run has been flushed.
 */
final class LoadPerJobs {
    static final int PER = 10_000;

    record Result(String contender, int jobs, double seconds, long xacts, Long statements, Double pgCpuSeconds,
            double xactsPer10k, Double statementsPer10k, Double pgCpuSecondsPer10k, double xactsPerJob,
            Double statementsPerJob) {
    }

    /** Runs {@code throughput} on an already settled contender and measures around it. */
    static Result measure(PgStats stats, String database, String name, int jobs, double flushSeconds,
            ThrowingRunnable throughput) throws Exception {
        PgStats.Snapshot a = stats.snapshot(database);
        throughput.run();
        // the run's last counts reach pg_stat_database only when each backend's idle flush fires; the contender's
        // own idle traffic during this wait is counted too (see the idle table for its rate)
        PgStats.sleepSeconds(flushSeconds);
        PgStats.Window w = PgStats.Window.between(a, stats.snapshot(database));
        double scale = (double) PER / jobs;
        return new Result(name, jobs, w.seconds(), w.xacts(), w.statements(), w.cpuSeconds(), w.xacts() * scale,
                w.statements() == null ? null : w.statements() * scale,
                w.cpuSeconds() == null ? null : w.cpuSeconds() * scale, (double) w.xacts() / jobs,
                w.statements() == null ? null : (double) w.statements() / jobs);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}

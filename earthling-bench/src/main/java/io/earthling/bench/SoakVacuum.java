package io.earthling.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Stands in for autovacuum where the server has it off (a benchmark server may, for steady figures): every
 * {@code everySeconds} a plain {@code VACUUM (ANALYZE)} of the job tables on a connection of its own, throttled as
 * autovacuum is by default ({@code vacuum_cost_delay = 2ms}, cost limit 200), as autovacuum would run them: with
 * this soak's update rate each table passes autovacuum's 20 % dead-tuple threshold within one 60 s naptime.
 */
final class SoakVacuum implements AutoCloseable {
    private final String url;
    private final long everyNanos;
    private final Thread thread;
    private volatile boolean stop;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong totalMillis = new AtomicLong();
    private final AtomicLong maxMillis = new AtomicLong();
    private volatile String failure;

    SoakVacuum(String url, int everySeconds) {
        this.url = url;
        this.everyNanos = TimeUnit.SECONDS.toNanos(everySeconds);
        this.thread = new Thread(this::loop, "soak-vacuum");
        thread.setDaemon(true);
    }

    /** True where the server's {@code autovacuum} setting is off. */
    static boolean autovacuumOff(Connection sql) throws SQLException {
        try (Statement s = sql.createStatement(); var rs = s.executeQuery("SHOW autovacuum")) {
            rs.next();
            return "off".equals(rs.getString(1));
        }
    }

    SoakVacuum start() {
        thread.start();
        return this;
    }

    private void loop() {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SET vacuum_cost_delay = '2ms'");
            s.execute("SET vacuum_cost_limit = 200");
            long next = System.nanoTime() + everyNanos;
            while (!stop) {
                LockSupport.parkNanos(next - System.nanoTime());
                if (stop) {
                    return;
                }
                long t0 = System.nanoTime();
                s.execute("VACUUM (ANALYZE) jobs, job_events, job_logs");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                runs.incrementAndGet();
                totalMillis.addAndGet(ms);
                maxMillis.accumulateAndGet(ms, Math::max);
                next += everyNanos;
            }
        } catch (SQLException e) {
            failure = e.getMessage();
        }
    }

    /** A line for the summary: how often it ran and how long a run took. */
    String describe() {
        long n = runs.get();
        return String.format(java.util.Locale.ROOT, "%d runs of VACUUM (ANALYZE) on the job tables, %d ms on "
                + "average, %d ms at most%s", n, n == 0 ? 0 : totalMillis.get() / n, maxMillis.get(),
                failure == null ? "" : "; stopped by an error: " + failure);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.MINUTES.toMillis(5));
    }
}

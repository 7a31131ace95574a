package io.earthling.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A leader stopped inside a fenced write holds the lease row {@code FOR SHARE}: the standby still takes over
 * within the lease's time to live plus two seconds (issue 15: it used to wait until the old leader resumed).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresTakeoverIT {
    private static final Duration TTL = Duration.ofSeconds(3);

    private StoreSettings settings;
    private Store leader;
    private Store standby;

    @BeforeEach
    void open() throws Exception {
        settings = PostgresDatabases.newSchema();
        leader = Store.open(settings);
        standby = Store.open(settings);
    }

    @AfterEach
    void close() throws Exception {
        standby.close();
        leader.close();
        PostgresDatabases.drop(settings);
    }

    @Test
    void a_standby_takes_over_from_a_leader_stopped_inside_a_fenced_write_within_the_ttl_plus_two_seconds()
            throws Exception {
        long acquired = System.nanoTime();
        long oldEpoch = leader.lease().tryAcquire("m1:1", TTL).orElseThrow();
        // The leader's last write starts just before its lease runs out, and it is stopped (SIGSTOP) right after
        // its fence check: its session sits idle in transaction, holding the lease row.
        Thread.sleep(TTL.toMillis() - 300);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        CompletableFuture<Void> stoppedWrite = CompletableFuture.runAsync(() ->
                ((JdbcStore) leader).sql().inTransaction(c -> {
                    new Fence(Dialect.POSTGRESQL).check(c, oldEpoch);
                    held.countDown();
                    try {
                        resumed.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        awaitExpiry(acquired);

        long asked = System.nanoTime();
        OptionalLong newEpoch = standby.lease().tryAcquire("m2:1", TTL);
        long tookMs = (System.nanoTime() - asked) / 1_000_000;
        long leaderlessMs = (System.nanoTime() - acquired) / 1_000_000 - TTL.toMillis();

        System.out.printf("takeover with the lease row held: the standby's tryAcquire took %d ms, %d ms after the"
                + " lease expired%n", tookMs, leaderlessMs);
        assertThat(newEpoch).as("the standby's first try after expiry takes the lease").isPresent();
        assertThat(newEpoch.getAsLong()).isGreaterThan(oldEpoch);
        assertThat(leaderlessMs).isLessThan(2_000);
        resumed.countDown();
        assertThat(stoppedWrite).failsWithin(Duration.ofSeconds(10)); // its session was ended: nothing committed
        assertThat(leader.lease().renew("m1:1", oldEpoch, TTL)).as("the old leader learns it lost").isFalse();
    }

    @Test
    void a_takeover_that_finds_the_row_locked_by_a_live_statement_gives_up_after_its_lock_timeout() throws Exception {
        leader.lease().tryAcquire("m1:1", Duration.ofMillis(1));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        // A session that keeps working (not idle) while it holds the row: only the lock timeout bounds the wait.
        CompletableFuture<Void> busy = CompletableFuture.runAsync(() ->
                ((JdbcStore) leader).sql().inTransaction(c -> {
                    try (ResultSet rs = c.createStatement().executeQuery(
                            "SELECT epoch FROM manager_lease WHERE name = 'leader' FOR SHARE")) {
                        rs.next();
                    }
                    held.countDown();
                    try {
                        while (!done.await(200, TimeUnit.MILLISECONDS)) {
                            c.createStatement().execute("SELECT 1");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

        long asked = System.nanoTime();
        OptionalLong epoch = standby.lease().tryAcquire("m2:1", TTL);
        long tookMs = (System.nanoTime() - asked) / 1_000_000;

        done.countDown();
        busy.get(10, TimeUnit.SECONDS);
        assertThat(epoch).isEmpty();
        assertThat(tookMs).isBetween(Timeouts.TAKEOVER_LOCK_MS - 100, Timeouts.TAKEOVER_LOCK_MS + 1_500);
        assertThat(standby.lease().tryAcquire("m2:1", TTL)).as("free once the write ended").isPresent();
    }

    @Test
    void the_managers_sessions_carry_the_idle_statement_and_keepalive_bounds() {
        String shown = ((JdbcStore) leader).sql().autoCommit(c -> show(c, "idle_in_transaction_session_timeout")
                + " " + show(c, "statement_timeout") + " " + show(c, "tcp_keepalives_count"));

        assertThat(shown).startsWith("1500ms 25s ");
    }

    private static String show(java.sql.Connection c, String setting) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void awaitExpiry(long acquiredNanos) throws InterruptedException {
        long left = TTL.toMillis() + 100 - (System.nanoTime() - acquiredNanos) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }
}

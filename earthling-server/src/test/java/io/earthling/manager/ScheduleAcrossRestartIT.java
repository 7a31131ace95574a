package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobView;
import io.earthling.api.ScheduleSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cron job firing every minute fires exactly once per minute over five minutes of a manual clock, with the
 * manager replaced by a new one on the same database in the middle, and once (not a burst) after a gap.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScheduleAcrossRestartIT {
    private static final Instant START = Instant.parse("2030-01-01T00:00:30Z");
    private static final List<ScheduleSpec> CONFIG = List.of(ScheduleSpec.of("every-minute", "* * * * *", "noop"));

    @TempDir
    Path dir;

    @Test
    void on_h2_a_minutely_schedule_fires_once_per_minute_across_a_manager_restart() throws Exception {
        fiveMinutesWithARestart(TestManagers.h2(dir));
    }

    @Test
    void on_postgresql_a_minutely_schedule_fires_once_per_minute_across_a_manager_restart() throws Exception {
        fiveMinutesWithARestart(TestManagers.postgres());
    }

    private void fiveMinutesWithARestart(String url) throws Exception {
        ManualClock clock = new ManualClock(START);
        int port = TestManagers.freePort();
        try (Manager first = leader(url, port, clock)) {
            minute(first, clock, 1);
            minute(first, clock, 2);
        }
        try (Manager second = leader(url, port, clock)) {
            assertThat(jobs(second)).as("the new leader does not fire the ticks already fired").hasSize(2);
            minute(second, clock, 3);
            minute(second, clock, 4);
            minute(second, clock, 5);

            // Down for four minutes (the clock jumps): one job for the latest missed tick, not four.
            clock.set(START.plus(Duration.ofMinutes(9)));
            await().atMost(Duration.ofSeconds(20)).until(() -> jobs(second).size() == 6);
            assertThat(jobs(second)).hasSize(6);
        }
        assertThat(tickKeys(url)).containsExactly(
                "schedule:every-minute@2030-01-01T00:01:00Z", "schedule:every-minute@2030-01-01T00:02:00Z",
                "schedule:every-minute@2030-01-01T00:03:00Z", "schedule:every-minute@2030-01-01T00:04:00Z",
                "schedule:every-minute@2030-01-01T00:05:00Z", "schedule:every-minute@2030-01-01T00:09:00Z");
    }

    private static Manager leader(String url, int port, Clock clock) {
        Manager m = Manager.start(TestManagers.manager(port, url), CONFIG, clock);
        await().atMost(Duration.ofSeconds(30)).until(m::isLeader);
        return m;
    }

    /** Moves the clock into minute {@code n} and waits until its tick's job exists; exactly n jobs then. */
    private static void minute(Manager m, ManualClock clock, int n) {
        clock.set(START.plus(Duration.ofMinutes(n)));
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs(m).size() >= n);
        assertThat(jobs(m)).as("jobs after minute %d", n).hasSize(n);
    }

    private static List<JobView> jobs(Manager m) {
        try (EarthlingClient c = EarthlingClient.connect("127.0.0.1", m.port())) {
            return c.list(null, 100);
        }
    }

    private static List<String> tickKeys(String url) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT idempotency_key FROM jobs ORDER BY id")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }
}

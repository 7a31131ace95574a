package io.earthling.manager.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.core.MonotonicClock;
import io.earthling.manager.ManualClock;
import io.earthling.manager.internal.LeaderFixture;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.store.JobQuery;
import io.earthling.store.StoredJob;
import io.earthling.store.StoredSchedule;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The ticker as a loop on a frozen monotonic clock: it looks at the wall clock once at start and once per nudge,
 * never on its own, so each test moves the wall clock, nudges, and waits for that one iteration's signal.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScheduleTickerTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:30Z");
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final MonotonicClock FROZEN = () -> 0L;
    private static final StoredSchedule EVERY_MINUTE = new StoredSchedule("every-minute", "* * * * *", "UTC", "default",
            "noop", "{}", 0, 3, "config", 0);

    private final ManualClock clock = new ManualClock(START);
    private final String db = "ticker-" + UUID.randomUUID();
    private LeaderFixture leader;
    private ScheduleTicker ticker;

    @BeforeEach
    void startTheTicker() {
        leader = new LeaderFixture(db, clock);
        ticker = new ScheduleTicker(leader.store.schedules(),
                new Leadership(leader.epoch, "test", leader.dispatcher, leader.writer, new Waiters()), clock, FROZEN,
                List.of(EVERY_MINUTE));
        ticker.signals().iterated().arm();
        ticker.signals().stopped().arm();
        ticker.start();
        ticker.signals().iterated().await(SOON); // loaded the config's schedule
    }

    @AfterEach
    void stopIt() {
        ticker.close();
        leader.close();
    }

    @Test
    void a_minutely_schedule_fires_once_when_the_clock_passes_its_tick() {
        clock.set(START.plus(Duration.ofMinutes(1)));
        look();
        look();

        assertThat(tickKeys()).containsExactly("schedule:every-minute@2030-01-01T00:01:00Z");
    }

    @Test
    void after_a_gap_a_schedule_fires_once_for_its_latest_missed_tick() {
        clock.set(START.plus(Duration.ofMinutes(9)));
        look();

        assertThat(tickKeys()).containsExactly("schedule:every-minute@2030-01-01T00:09:00Z");
    }

    @Test
    void a_ticker_fenced_out_by_a_new_leader_stops_itself_without_firing() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + db); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE manager_lease SET epoch = epoch + 1");
        }
        clock.set(START.plus(Duration.ofMinutes(1)));
        ticker.nudge();

        assertThat(ticker.signals().stopped().await(SOON)).isEqualTo("earthling-schedules");
        assertThat(tickKeys()).isEmpty();
    }

    /** One look at the wall clock: the loop waits for nothing but nudges on its frozen clock. */
    private void look() {
        ticker.nudge();
        ticker.signals().iterated().await(SOON);
    }

    private List<String> tickKeys() {
        return leader.store.jobs().list(new JobQuery(null, null, null, 0, 100)).stream()
                .map(StoredJob::idempotencyKey).toList();
    }
}

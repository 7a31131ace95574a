package io.earthling.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.api.EarthlingException;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CronExpressionTest {

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void every_minute_ticks_at_the_start_of_the_next_minute() {
        CronExpression c = CronExpression.parse("* * * * *", "UTC");

        assertThat(c.next(at("2026-11-23T10:00:00Z"))).isEqualTo(at("2026-11-23T10:01:00Z"));
        assertThat(c.next(at("2026-11-23T10:00:59.999Z"))).isEqualTo(at("2026-11-23T10:01:00Z"));
    }

    @Test
    void steps_ranges_and_lists_combine() {
        CronExpression c = CronExpression.parse("*/15 9-17 * * MON-FRI", "UTC");

        // 2026-11-21 is a Saturday: the next tick is Monday 09:00.
        assertThat(c.next(at("2026-11-21T12:00:00Z"))).isEqualTo(at("2026-11-23T09:00:00Z"));
        assertThat(c.next(at("2026-11-23T09:00:00Z"))).isEqualTo(at("2026-11-23T09:15:00Z"));
        assertThat(c.next(at("2026-11-23T17:45:00Z"))).isEqualTo(at("2026-11-24T09:00:00Z"));
        assertThat(CronExpression.parse("0 0 1,15 JAN,jul *", "UTC").next(at("2026-02-01T00:00:00Z")))
                .isEqualTo(at("2026-07-01T00:00:00Z"));
    }

    @Test
    void a_restricted_day_of_month_and_day_of_week_fire_on_either() {
        CronExpression c = CronExpression.parse("0 0 13 * 5", "UTC");

        // 2026-11-27 is a Friday, before the 13th of December.
        assertThat(c.next(at("2026-11-23T00:00:00Z"))).isEqualTo(at("2026-11-27T00:00:00Z"));
        assertThat(CronExpression.parse("0 0 * * 7", "UTC").next(at("2026-11-23T00:00:00Z")))
                .isEqualTo(at("2026-11-29T00:00:00Z"));
    }

    @Test
    void the_time_zone_decides_the_wall_clock_of_a_tick() {
        CronExpression c = CronExpression.parse("0 9 * * *", "Europe/Berlin");

        assertThat(c.next(at("2026-11-23T00:00:00Z"))).isEqualTo(at("2026-11-23T08:00:00Z"));
        assertThat(c.next(at("2026-07-01T00:00:00Z"))).isEqualTo(at("2026-07-01T07:00:00Z"));
    }

    @Test
    void latest_finds_only_the_last_missed_tick() {
        CronExpression c = CronExpression.parse("* * * * *", "UTC");

        assertThat(c.latest(at("2026-11-23T10:00:00Z"), at("2026-11-23T13:30:30Z"))).isEqualTo(at("2026-11-23T13:30:00Z"));
        assertThat(c.latest(at("2026-11-23T10:00:00Z"), at("2026-11-23T10:00:59Z"))).isNull();
        assertThat(c.latest(at("2020-01-01T00:00:00Z"), at("2026-11-23T10:00:30Z"))).isEqualTo(at("2026-11-23T10:00:00Z"));
    }

    @Test
    void a_bad_expression_names_the_field_and_the_reason() {
        assertThatThrownBy(() -> CronExpression.parse("* * * *", "UTC")).isInstanceOf(EarthlingException.class)
                .hasMessageContaining("expected 5 fields").hasMessageContaining("got 4");
        assertThatThrownBy(() -> CronExpression.parse("61 * * * *", "UTC")).hasMessage("cron: minute: 61 is outside 0-59");
        assertThatThrownBy(() -> CronExpression.parse("* x * * *", "UTC")).hasMessage("cron: hour: not a number: \"x\"");
        assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *", "UTC")).hasMessageContaining("never fires");
        assertThatThrownBy(() -> CronExpression.parse("* * * * *", "Mars/Olympus"))
                .hasMessageContaining("zone: unknown time zone \"Mars/Olympus\"");
    }
}

package io.earthling.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    @Test
    void the_same_seed_gives_the_same_faults_and_another_seed_others() {
        assertThat(FaultSchedule.generate(7, 60_000, 5_000, 3, 3)).isEqualTo(FaultSchedule.generate(7, 60_000, 5_000, 3, 3));
        assertThat(FaultSchedule.generate(7, 60_000, 5_000, 3, 3)).isNotEqualTo(FaultSchedule.generate(8, 60_000, 5_000, 3, 3));
    }

    @Test
    void every_seed_plays_every_kind_even_when_the_run_is_short() {
        for (long seed = 1; seed <= 50; seed++) {
            List<Fault> faults = FaultSchedule.generate(seed, 10_000, 5_000, 3, 3);
            EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
            faults.forEach(f -> kinds.add(f.kind()));
            assertThat(kinds).as("seed %d", seed).isEqualTo(EnumSet.allOf(FaultKind.class));
        }
    }

    @Test
    void faults_come_one_at_a_time_with_a_quiet_gap_and_targets_in_range() {
        for (long seed = 1; seed <= 50; seed++) {
            List<Fault> faults = FaultSchedule.generate(seed, 180_000, 5_000, 3, 3);
            for (int i = 1; i < faults.size(); i++) {
                Fault a = faults.get(i - 1);
                assertThat(faults.get(i).atMs()).isGreaterThanOrEqualTo(a.atMs() + a.durationMs() + 1_500);
            }
            assertThat(faults).filteredOn(f -> f.kind() != FaultKind.CLOCK_STEP).allSatisfy(f -> {
                assertThat(f.target() / 10).isBetween(0, 2);
                assertThat(f.target() % 10).isBetween(0, 2);
            });
            assertThat(faults).filteredOn(f -> f.kind() == FaultKind.CLOCK_STEP)
                    .allSatisfy(f -> assertThat(f.target()).isBetween(Fault.LEADER, 2));
            assertThat(FaultSchedule.endMs(faults)).isLessThanOrEqualTo(180_000);
            assertThat(faults.size()).as("a three-minute run has more than the mandatory faults").isGreaterThan(8);
        }
    }

    @Test
    void faults_past_the_ttl_last_longer_than_the_lease() {
        List<Fault> faults = FaultSchedule.generate(3, 60_000, 5_000, 3, 3);
        assertThat(faults).filteredOn(f -> f.kind() == FaultKind.LEADER_STOP_PAST_TTL || f.kind() == FaultKind.LEADER_KILL)
                .allSatisfy(f -> assertThat(f.durationMs()).isGreaterThan(5_000));
        assertThat(faults).filteredOn(f -> f.kind() == FaultKind.LEADER_PAUSE)
                .allSatisfy(f -> assertThat(f.durationMs()).isEqualTo(3_000));
    }

    @Test
    void clock_steps_move_a_leader_or_a_node_three_to_eight_seconds_either_way() {
        List<Fault> steps = new java.util.ArrayList<>();
        for (long seed = 1; seed <= 50; seed++) {
            FaultSchedule.generate(seed, 180_000, 5_000, 3, 3).stream()
                    .filter(f -> f.kind() == FaultKind.CLOCK_STEP).forEach(steps::add);
        }
        assertThat(steps).allSatisfy(f -> {
            assertThat(Math.abs(f.stepMs())).isBetween(3_000L, 8_000L);
            assertThat(f.stepMs() % 1_000).isZero();
        });
        assertThat(steps).anyMatch(f -> f.target() == Fault.LEADER).anyMatch(f -> f.target() >= 0)
                .anyMatch(f -> f.stepMs() > 0).anyMatch(f -> f.stepMs() < 0);
        assertThat(FaultSchedule.generate(1, 60_000, 5_000, 3, 3)).filteredOn(f -> f.kind() != FaultKind.CLOCK_STEP)
                .allSatisfy(f -> assertThat(f.stepMs()).isZero());
    }
}

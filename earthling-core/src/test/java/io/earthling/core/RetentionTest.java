package io.earthling.core;

import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetentionTest {
    private final Retention r = new Retention(Map.of(SUCCEEDED, 1_000L, DEAD, 5_000L),
            Map.of("audit", Map.of(SUCCEEDED, 10_000L), "fast", Map.of(DEAD, 500L, SUCCEEDED, 0L)));

    @Test
    void a_job_expires_its_age_after_it_finished_and_a_queue_overrides_the_state() {
        assertThat(r.expired(SUCCEEDED, "default", 9_000, 10_000)).isTrue();
        assertThat(r.expired(SUCCEEDED, "default", 9_001, 10_000)).isFalse();
        assertThat(r.expired(SUCCEEDED, "audit", 9_000, 10_000)).as("audit keeps 10 s").isFalse();
        assertThat(r.expired(SUCCEEDED, "fast", 0, 10_000)).as("0 keeps forever").isFalse();
        assertThat(r.expired(DEAD, "fast", 9_500, 10_000)).isTrue();
        assertThat(r.expired(CANCELLED, "default", 0, Long.MAX_VALUE)).as("no age: kept").isFalse();
    }

    @Test
    void the_shortest_age_of_a_state_looks_at_every_queue() {
        assertThat(r.shortestMs(SUCCEEDED)).isEqualTo(1_000);
        assertThat(r.shortestMs(DEAD)).isEqualTo(500);
        assertThat(r.shortestMs(CANCELLED)).isZero();
        assertThat(new Retention(Map.of(), Map.of("q", Map.of(CANCELLED, 7L))).shortestMs(CANCELLED)).isEqualTo(7);
    }

    @Test
    void keep_all_keeps_all_and_the_default_does_not() {
        assertThat(Retention.KEEP_ALL.keepsAll()).isTrue();
        assertThat(new Retention(Map.of(SUCCEEDED, 0L), Map.of("q", Map.of(DEAD, 0L))).keepsAll()).isTrue();
        assertThat(Retention.DEFAULT.keepsAll()).isFalse();
        assertThat(Retention.DEFAULT.ageMs(SUCCEEDED, "any")).isEqualTo(86_400_000L);
        assertThat(Retention.olderThan(5).ageMs(CANCELLED, "any")).isEqualTo(5);
    }

    @Test
    void only_final_states_and_non_negative_ages_are_taken() {
        assertThatThrownBy(() -> new Retention(Map.of(RUNNING, 1L), Map.of())).hasMessageContaining("RUNNING is not a final state");
        assertThatThrownBy(() -> new Retention(Map.of(DEAD, -1L), Map.of())).hasMessageContaining("0 (forever) or positive");
    }
}

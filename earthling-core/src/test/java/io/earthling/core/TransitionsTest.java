package io.earthling.core;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.GATHERING;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static io.earthling.api.JobState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.api.JobState;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransitionsTest {

    @Test
    void a_job_runs_from_pending_through_assigned_and_running_to_succeeded() {
        assertThat(Transitions.allowed(PENDING, ASSIGNED)).isTrue();
        assertThat(Transitions.allowed(ASSIGNED, RUNNING)).isTrue();
        assertThat(Transitions.allowed(RUNNING, SUCCEEDED)).isTrue();
    }

    @Test
    void a_failed_attempt_goes_back_to_pending_or_dies() {
        assertThat(Transitions.allowed(RUNNING, PENDING)).isTrue();
        assertThat(Transitions.allowed(RUNNING, DEAD)).isTrue();
    }

    @Test
    void a_job_nothing_can_run_dies_while_pending() {
        assertThat(Transitions.allowed(PENDING, DEAD)).isTrue();
    }

    @Test
    void a_job_of_a_lost_node_or_a_refused_delivery_goes_back_to_pending() {
        assertThat(Transitions.allowed(ASSIGNED, PENDING)).isTrue();
        assertThat(Transitions.allowed(RUNNING, PENDING)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"PENDING", "ASSIGNED", "RUNNING"})
    void an_active_job_can_be_cancelled(JobState from) {
        assertThat(Transitions.allowed(from, CANCELLED)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"SUCCEEDED", "CANCELLED"})
    void a_succeeded_or_cancelled_job_allows_no_move(JobState from) {
        for (JobState to : JobState.values()) {
            assertThat(Transitions.allowed(from, to)).as(from + " -> " + to).isFalse();
        }
        assertThat(from.isFinal()).isTrue();
    }

    @Test
    void a_dead_job_moves_only_back_to_pending_when_it_is_retried() {
        for (JobState to : JobState.values()) {
            assertThat(Transitions.allowed(DEAD, to)).as("DEAD -> " + to).isEqualTo(to == PENDING);
        }
        assertThat(DEAD.isFinal()).isTrue();
    }

    @Test
    void skipping_a_step_or_standing_still_is_not_a_move_but_for_run_now() {
        assertThat(Transitions.allowed(PENDING, RUNNING)).isFalse();
        assertThat(Transitions.allowed(PENDING, SUCCEEDED)).isFalse();
        assertThat(Transitions.allowed(ASSIGNED, SUCCEEDED)).isFalse();
        assertThat(Transitions.allowed(ASSIGNED, DEAD)).isFalse();
        for (JobState s : JobState.values()) {
            assertThat(Transitions.allowed(s, s)).as(s + " -> " + s).isEqualTo(s == PENDING);
        }
    }

    @Test
    void a_delayed_job_run_now_stays_pending_with_a_new_due_time() {
        assertThat(Transitions.allowed(PENDING, PENDING)).isTrue();
    }

    @Test
    void sources_of_a_state_are_the_states_that_may_move_to_it() {
        assertThat(Transitions.sourcesOf(PENDING)).containsExactlyInAnyOrder(PENDING, ASSIGNED, RUNNING, DEAD);
        assertThat(Transitions.sourcesOf(ASSIGNED)).containsExactly(PENDING);
        assertThat(Transitions.sourcesOf(RUNNING)).containsExactly(ASSIGNED);
        assertThat(Transitions.sourcesOf(SUCCEEDED)).containsExactlyInAnyOrder(RUNNING, GATHERING);
        assertThat(Transitions.sourcesOf(DEAD)).containsExactlyInAnyOrder(PENDING, RUNNING, WAITING, GATHERING);
        assertThat(Transitions.sourcesOf(CANCELLED))
                .containsExactlyInAnyOrder(PENDING, ASSIGNED, RUNNING, WAITING, GATHERING);
        assertThat(Transitions.sourcesOf(WAITING)).containsExactly(RUNNING);
        assertThat(Transitions.sourcesOf(GATHERING)).containsExactly(WAITING);
    }

    @Test
    void a_split_job_waits_for_its_children_then_gathers_then_ends_and_waiting_is_not_final() {
        assertThat(Transitions.allowed(RUNNING, WAITING)).isTrue();
        assertThat(Transitions.allowed(WAITING, GATHERING)).isTrue();
        assertThat(Transitions.allowed(GATHERING, SUCCEEDED)).isTrue();
        assertThat(Transitions.allowed(WAITING, SUCCEEDED)).as("only a gather ends a split").isFalse();
        assertThat(Transitions.allowed(WAITING, PENDING)).isFalse();
        assertThat(WAITING.isFinal()).isFalse();
        assertThat(GATHERING.isFinal()).isFalse();
    }

    @Test
    void check_throws_for_a_forbidden_move_and_names_both_states() {
        assertThatCode(() -> Transitions.check(PENDING, ASSIGNED)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Transitions.check(SUCCEEDED, PENDING))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("a job cannot move from SUCCEEDED to PENDING");
    }
}

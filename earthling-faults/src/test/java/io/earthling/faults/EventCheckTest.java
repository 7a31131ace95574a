package io.earthling.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventCheckTest {

    @Test
    void ordinary_lives_of_jobs_are_legal() {
        assertThat(EventCheck.check(1, List.of("ASSIGNED", "RUNNING", "SUCCEEDED"))).isEmpty();
        assertThat(EventCheck.check(2, List.of("ASSIGNED", "RUNNING", "FAILED", "ASSIGNED", "RUNNING", "DEAD",
                "RETRIED", "ASSIGNED", "RUNNING", "SUCCEEDED"))).isEmpty();
        assertThat(EventCheck.check(3, List.of("ASSIGNED", "RUNNING", "WAITING", "GATHERING", "SUCCEEDED"))).isEmpty();
        assertThat(EventCheck.check(4, List.of("ASSIGNED", "PENDING", "ASSIGNED", "CANCELLED"))).isEmpty();
        assertThat(EventCheck.check(5, List.of("DEAD"))).as("a row of an unknown type").isEmpty();
        assertThat(EventCheck.check(11, List.of("ASSIGNED", "REFUSED", "ASSIGNED", "RUNNING", "NODE_LOST", "ASSIGNED",
                "RECOVERED", "ASSIGNED", "NODE_LEFT", "ASSIGNED", "DELIVERY_FAILED", "ASSIGNED", "RUNNING", "SUCCEEDED")))
                .isEmpty();
    }

    @Test
    void a_job_lost_on_its_last_attempt_goes_to_dead_through_running_in_one_event() {
        assertThat(EventCheck.check(6, List.of("ASSIGNED", "DEAD"))).isEmpty();
    }

    @Test
    void forbidden_steps_and_unknown_events_are_reported() {
        assertThat(EventCheck.check(7, List.of("ASSIGNED", "RUNNING", "SUCCEEDED", "RUNNING")))
                .containsExactly(new EventCheck.Illegal(7, "SUCCEEDED", "RUNNING"));
        assertThat(EventCheck.check(8, List.of("RUNNING"))).containsExactly(new EventCheck.Illegal(8, "PENDING", "RUNNING"));
        assertThat(EventCheck.check(9, List.of("ASSIGNED", "ASSIGNED"))).hasSize(1);
    }

    @Test
    void a_kind_it_does_not_know_is_reported_and_not_judged() {
        assertThat(EventCheck.check(10, List.of("ASSIGNED", "TELEPORTED", "RUNNING", "SUCCEEDED"))).isEmpty();
        assertThat(EventCheck.unknown(List.of("ASSIGNED", "TELEPORTED", "DELIVERY_FAILED"))).containsExactly("TELEPORTED");
    }
}

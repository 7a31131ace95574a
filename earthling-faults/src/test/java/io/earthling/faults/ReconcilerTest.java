package io.earthling.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private static final Reconciler.Execution FIRST =
            new Reconciler.Execution(633, 1, "127.0.0.4", "127.0.0.4:37693", 22665, 1_000, 1_000);

    @Test
    void an_attempt_that_ran_again_after_its_first_run_was_on_record_is_outside_the_documented_windows() {
        List<Reconciler.Event> events = List.of(
                new Reconciler.Event(633, "ASSIGNED", 990, "127.0.0.4:41000", null, 1),
                new Reconciler.Event(633, "ASSIGNED", 5_000, "127.0.0.3:41000", null, 1));

        assertThat(Reconciler.recorded(FIRST, events)).isTrue();
    }

    @Test
    void an_attempt_whose_first_run_left_no_record_on_its_node_is_the_documented_window() {
        List<Reconciler.Event> events = List.of(
                new Reconciler.Event(633, "ASSIGNED", 5_000, "127.0.0.3:41000", null, 1),
                new Reconciler.Event(633, "ASSIGNED", 900, "127.0.0.4:41000", null, 0),
                new Reconciler.Event(633, "SUCCEEDED", 5_100, "127.0.0.3:41000", null, 1));

        assertThat(Reconciler.recorded(FIRST, events)).isFalse();
    }
}

package io.earthling.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageSizesTest {
    @Test
    void items_are_cut_into_runs_that_stay_within_the_budget_in_their_order() {
        assertThat(MessageSizes.chunks(List.of(4, 4, 4, 1, 7, 2), Integer::longValue, 8))
                .containsExactly(List.of(4, 4), List.of(4, 1), List.of(7), List.of(2));
    }

    @Test
    void an_item_larger_than_the_budget_travels_alone_and_nothing_is_empty() {
        assertThat(MessageSizes.chunks(List.of(20, 1, 30), Integer::longValue, 8))
                .containsExactly(List.of(20), List.of(1), List.of(30));
        assertThat(MessageSizes.chunks(List.<Integer>of(), Integer::longValue, 8)).isEmpty();
    }
}

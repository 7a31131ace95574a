package io.earthling.manager.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacklogTest {
    @Test
    void ids_come_back_oldest_first_within_a_queue_and_the_queues_take_turns() {
        Backlog b = new Backlog();
        b.addAll("big", new long[] {1, 2, 3, 4, 5});
        b.add("small", 10);
        b.add("small", 11);
        assertThat(b.size()).isEqualTo(7);
        assertThat(b.has("big")).isTrue();
        assertThat(b.take(4).keySet()).containsExactly(1L, 10L, 2L, 11L);
        assertThat(b.has("small")).isFalse();
        assertThat(b.take(10).keySet()).containsExactly(3L, 4L, 5L);
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void a_removed_id_never_comes_back_and_the_ring_grows_past_its_first_size() {
        Backlog b = new Backlog();
        for (long id = 1; id <= 100; id++) {
            b.add("q", id);
        }
        assertThat(b.take(3).keySet()).containsExactly(1L, 2L, 3L);
        assertThat(b.remove(50)).isTrue();
        assertThat(b.remove(50)).isFalse();
        assertThat(b.size("q")).isEqualTo(96);
        assertThat(b.take(1000).keySet()).hasSize(96).doesNotContain(50L).startsWith(4L, 5L).endsWith(100L);
    }

    @Test
    void a_new_leaders_window_takes_the_queues_in_turn_and_leaves_the_rest_for_later() {
        java.util.Map<String, long[]> byQueue = new java.util.LinkedHashMap<>();
        byQueue.put("big", new long[] {1, 2, 3, 4, 5, 6});
        byQueue.put("small", new long[] {10});
        PendingWindow w = PendingWindow.of(byQueue, 4, 10);
        assertThat(w.now()).containsExactly(1L, 10L, 2L, 3L);
        assertThat(w.later().keySet()).containsExactly("big");
        assertThat(w.later().get("big")).containsExactly(4L, 5L, 6L);
        assertThat(PendingWindow.of(byQueue, 100, 100).later()).isEmpty();
        PendingWindow capped = PendingWindow.of(byQueue, 100, 2);
        assertThat(capped.now()).as("at most two of one queue").containsExactly(1L, 10L, 2L);
        assertThat(capped.later().get("big")).containsExactly(3L, 4L, 5L, 6L);
    }
}

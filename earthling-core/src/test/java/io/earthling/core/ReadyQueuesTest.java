package io.earthling.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadyQueuesTest {
    static final long NOW = 1_000_000;

    final ReadyQueues queues = new ReadyQueues();

    static ReadyJob job(long id, String queue, int priority, long runAtMs) {
        return new ReadyJob(id, queue, "t", new byte[0], priority, runAtMs, 0, 3, 0);
    }

    List<Long> drain() {
        List<Long> ids = new ArrayList<>();
        for (ReadyJob j = queues.poll(); j != null; j = queues.poll()) {
            ids.add(j.id());
        }
        return ids;
    }

    @Test
    void an_empty_queue_has_nothing_to_poll() {
        assertThat(queues.poll()).isNull();
        assertThat(queues.size()).isZero();
    }

    @Test
    void higher_priority_comes_first() {
        queues.add(job(1, "q", 0, NOW), NOW);
        queues.add(job(2, "q", 5, NOW), NOW);
        queues.add(job(3, "q", 1, NOW), NOW);

        assertThat(drain()).containsExactly(2L, 3L, 1L);
    }

    @Test
    void equal_priority_is_first_in_first_out() {
        for (long id = 1; id <= 5; id++) {
            queues.add(job(id, "q", 0, NOW), NOW);
        }

        assertThat(drain()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void jobs_added_out_of_order_still_come_out_in_submission_order() {
        queues.add(job(3, "q", 0, NOW), NOW);
        queues.add(job(1, "q", 0, NOW), NOW);
        queues.add(job(2, "q", 0, NOW), NOW);

        assertThat(drain()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void a_delayed_job_waits_until_it_is_due() {
        queues.add(job(1, "q", 9, NOW + 500), NOW);
        queues.add(job(2, "q", 0, NOW), NOW);

        assertThat(queues.promoteDue(NOW)).isEqualTo(NOW + 500);
        assertThat(queues.dueCount()).isEqualTo(1);
        assertThat(drain()).containsExactly(2L);
        assertThat(queues.size()).isEqualTo(1);

        assertThat(queues.promoteDue(NOW + 500)).isEqualTo(-1);
        assertThat(drain()).containsExactly(1L);
        assertThat(queues.size()).isZero();
    }

    @Test
    void delayed_jobs_become_due_in_due_time_order() {
        queues.add(job(1, "q", 0, NOW + 300), NOW);
        queues.add(job(2, "q", 0, NOW + 100), NOW);
        queues.add(job(3, "q", 0, NOW + 200), NOW);

        assertThat(queues.promoteDue(NOW + 150)).isEqualTo(NOW + 200);
        assertThat(drain()).containsExactly(2L);
        assertThat(queues.promoteDue(NOW + 1_000)).isEqualTo(-1);
        assertThat(drain()).containsExactly(3L, 1L);
    }

    @Test
    void queues_share_turns_by_weight_three_to_one() {
        queues.setWeight("big", 3);
        queues.setWeight("small", 1);
        for (long id = 0; id < 400; id++) {
            queues.add(job(id, id % 2 == 0 ? "big" : "small", 0, NOW), NOW);
        }

        Map<String, Integer> taken = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            taken.merge(queues.poll().queue(), 1, Integer::sum);
        }

        assertThat(taken).containsEntry("big", 75).containsEntry("small", 25);
    }

    @Test
    void weighted_turns_interleave_rather_than_come_in_bursts() {
        queues.setWeight("big", 3);
        queues.setWeight("small", 1);
        for (long id = 0; id < 40; id++) {
            queues.add(job(id, id % 2 == 0 ? "big" : "small", 0, NOW), NOW);
        }

        for (int window = 0; window < 5; window++) {
            List<String> four = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                four.add(queues.poll().queue());
            }
            assertThat(four).containsOnlyOnce("small");
        }
    }

    @Test
    void an_empty_queue_gives_its_turns_to_the_others() {
        queues.setWeight("big", 3);
        queues.setWeight("small", 1);
        queues.add(job(1, "small", 0, NOW), NOW);
        queues.add(job(2, "small", 0, NOW), NOW);

        assertThat(drain()).containsExactly(1L, 2L);
    }

    @Test
    void a_removed_job_is_never_polled() {
        queues.add(job(1, "q", 0, NOW), NOW);
        queues.add(job(2, "q", 0, NOW), NOW);
        queues.add(job(3, "q", 0, NOW + 100), NOW);

        assertThat(queues.remove(1)).isTrue();
        assertThat(queues.remove(3)).isTrue();
        assertThat(queues.remove(42)).isFalse();

        assertThat(queues.size()).isEqualTo(1);
        queues.promoteDue(NOW + 100);
        assertThat(drain()).containsExactly(2L);
    }
}

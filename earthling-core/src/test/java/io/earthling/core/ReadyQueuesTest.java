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
        return new ReadyJob(id, queue, "t", new byte[0], priority, runAtMs, 0, 3, 0, null, 0);
    }

    List<Long> drain() {
        List<Long> ids = new ArrayList<>();
        for (ReadyJob j = queues.poll(NOW); j != null; j = queues.poll(NOW)) {
            ids.add(j.id());
        }
        return ids;
    }

    @Test
    void an_empty_queue_has_nothing_to_poll() {
        assertThat(queues.poll(NOW)).isNull();
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
        assertThat(queues.hasDue()).isTrue();
        assertThat(drain()).containsExactly(2L);
        assertThat(queues.size()).isEqualTo(1);

        assertThat(queues.promoteDue(NOW + 500)).isEqualTo(-1);
        assertThat(drain()).containsExactly(1L);
        assertThat(queues.size()).isZero();
    }

    @Test
    void a_delayed_job_run_now_is_due_at_once_and_keeps_its_queue() {
        queues.add(job(1, "q", 0, NOW + 60_000), NOW);
        queues.add(job(2, "q", 0, NOW + 60_000), NOW);
        assertThat(queues.snapshot("q").delayed()).isEqualTo(2);

        assertThat(queues.runNow(1, NOW)).isTrue();

        assertThat(queues.snapshot("q").delayed()).isEqualTo(1);
        assertThat(queues.size()).isEqualTo(2);
        ReadyJob polled = queues.poll(NOW);
        assertThat(polled.id()).isEqualTo(1);
        assertThat(polled.runAtMs()).isEqualTo(NOW);
        assertThat(queues.poll(NOW)).isNull();
    }

    @Test
    void run_now_of_a_job_that_is_due_already_or_unknown_changes_nothing() {
        queues.add(job(1, "q", 0, NOW), NOW);

        assertThat(queues.runNow(1, NOW)).isFalse();
        assertThat(queues.runNow(99, NOW)).isFalse();
        assertThat(drain()).containsExactly(1L);
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
        queues.configure("big", new QueueLimits(3, 0, 0));
        queues.configure("small", new QueueLimits(1, 0, 0));
        for (long id = 0; id < 400; id++) {
            queues.add(job(id, id % 2 == 0 ? "big" : "small", 0, NOW), NOW);
        }

        Map<String, Integer> taken = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            taken.merge(queues.poll(NOW).queue(), 1, Integer::sum);
        }

        assertThat(taken).containsEntry("big", 75).containsEntry("small", 25);
    }

    @Test
    void weighted_turns_interleave_rather_than_come_in_bursts() {
        queues.configure("big", new QueueLimits(3, 0, 0));
        queues.configure("small", new QueueLimits(1, 0, 0));
        for (long id = 0; id < 40; id++) {
            queues.add(job(id, id % 2 == 0 ? "big" : "small", 0, NOW), NOW);
        }

        for (int window = 0; window < 5; window++) {
            List<String> four = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                four.add(queues.poll(NOW).queue());
            }
            assertThat(four).containsOnlyOnce("small");
        }
    }

    @Test
    void an_empty_queue_gives_its_turns_to_the_others() {
        queues.configure("big", new QueueLimits(3, 0, 0));
        queues.configure("small", new QueueLimits(1, 0, 0));
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

    @Test
    void take_all_removes_the_named_jobs_wherever_they_wait_and_keeps_the_others() {
        queues.add(job(1, "q", 0, NOW), NOW);
        queues.add(job(2, "r", 0, NOW), NOW);
        queues.add(job(3, "q", 0, NOW + 100), NOW);
        queues.add(keyed(4, "q", "k", 1), NOW);

        Map<Long, ReadyJob> taken = queues.takeAll(java.util.Set.of(2L, 3L, 4L, 42L));

        assertThat(taken).containsOnlyKeys(2L, 3L, 4L);
        assertThat(queues.size()).isEqualTo(1);
        queues.promoteDue(NOW + 100);
        assertThat(drain()).containsExactly(1L);
    }

    static ReadyJob keyed(long id, String queue, String key, int limit) {
        return new ReadyJob(id, queue, "t", new byte[0], 0, NOW, 0, 3, 0, key, limit);
    }

    @Test
    void a_paused_queue_gives_nothing_until_it_resumes() {
        queues.add(job(1, "q", 0, NOW), NOW);
        queues.pause("q", true);

        assertThat(queues.poll(NOW)).isNull();
        queues.pause("q", false);
        assertThat(queues.poll(NOW).id()).isEqualTo(1L);
    }

    @Test
    void a_queue_at_its_concurrency_limit_waits_for_a_running_job_to_end() {
        queues.configure("q", new QueueLimits(1, 2, 0));
        for (long id = 1; id <= 3; id++) {
            queues.add(job(id, "q", 0, NOW), NOW);
        }
        ReadyJob a = queues.poll(NOW);
        queues.started(a);
        queues.started(queues.poll(NOW));

        assertThat(queues.poll(NOW)).isNull();
        queues.ended(a);
        assertThat(queues.poll(NOW).id()).isEqualTo(3L);
    }

    @Test
    void a_job_whose_key_is_at_its_limit_waits_aside_and_others_pass_it() {
        queues.add(keyed(1, "q", "customer-7", 1), NOW);
        queues.add(keyed(2, "q", "customer-7", 1), NOW);
        queues.add(keyed(3, "q", "customer-8", 1), NOW);
        ReadyJob first = queues.poll(NOW);
        queues.started(first);

        ReadyJob next = queues.poll(NOW);
        queues.started(next);
        assertThat(next.id()).isEqualTo(3L);
        assertThat(queues.poll(NOW)).isNull();
        assertThat(queues.size()).isEqualTo(1);

        queues.ended(first);
        assertThat(queues.poll(NOW).id()).isEqualTo(2L);
    }

    @Test
    void a_rate_limited_queue_starts_no_more_than_its_rate() {
        queues.configure("q", new QueueLimits(1, 0, 2));
        for (long id = 1; id <= 10; id++) {
            queues.add(job(id, "q", 0, NOW), NOW);
        }

        assertThat(queues.poll(NOW)).isNotNull();
        assertThat(queues.poll(NOW)).isNotNull();
        assertThat(queues.poll(NOW)).isNull();
        assertThat(queues.nextTokenAtMs(NOW)).isEqualTo(NOW + 500);
        assertThat(queues.poll(NOW + 499)).isNull();
        assertThat(queues.poll(NOW + 500)).isNotNull();
    }

    @Test
    void a_queue_whose_attempts_all_fail_gets_a_twentieth_of_its_share_while_others_wait() {
        for (int i = 0; i < 100; i++) {
            queues.outcome("failing", false);
        }
        for (long id = 1; id <= 1100; id++) {
            queues.add(job(id, id % 2 == 0 ? "failing" : "healthy", 0, NOW), NOW);
        }
        Map<String, Integer> taken = new HashMap<>();
        for (int i = 0; i < 550; i++) {
            taken.merge(queues.poll(NOW).queue(), 1, Integer::sum);
        }

        assertThat(taken.get("failing")).isBetween(21, 31);
    }

    @Test
    void a_failing_queue_alone_still_gets_every_slot() {
        for (int i = 0; i < 100; i++) {
            queues.outcome("failing", false);
        }
        queues.add(job(1, "failing", 0, NOW), NOW);

        assertThat(queues.poll(NOW).id()).isEqualTo(1L);
    }
}

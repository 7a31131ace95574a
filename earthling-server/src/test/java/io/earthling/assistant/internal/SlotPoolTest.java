package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SlotPoolTest {
    private final Slot a = new Slot("a", true);
    private final Slot b = new Slot("b", true);
    private final SlotPool pool = new SlotPool(List.of(a, b));

    @Test
    void idle_workers_are_taken_before_a_busy_one_holds_more() {
        WorkerSlot first = pool.takeUpTo(4);
        WorkerSlot second = pool.takeUpTo(4);

        assertThat(List.of(first, second)).containsExactlyInAnyOrder(a, b);
        assertThat(pool.idleCount()).isZero();
    }

    @Test
    void a_worker_holds_more_than_one_job_only_after_a_quick_one() {
        takeBoth();
        assertThat(pool.takeUpTo(4)).as("nothing known about the workers' jobs yet").isNull();

        pool.giveBack(a, 2);
        for (int held = 1; held <= 4; held++) {
            assertThat(pool.takeUpTo(4)).as("job %d on the quick worker", held).isSameAs(a);
        }
        assertThat(pool.takeUpTo(4)).as("its window is full").isNull();
    }

    @Test
    void a_worker_whose_job_was_slow_or_that_handed_one_back_holds_one_at_a_time() {
        takeBoth();
        pool.giveBack(a, SlotPool.QUICK_MS + 1);
        pool.giveBack(b, 1);
        pool.takeUpTo(4);
        pool.takeUpTo(4);
        pool.takeUpTo(4);

        pool.handedBack(b);

        assertThat(pool.takeUpTo(4)).isNull();
    }

    @Test
    void a_thread_worker_never_holds_more_than_one() {
        Slot t = new Slot("t", false);
        SlotPool threads = new SlotPool(List.of(t));
        threads.takeUpTo(4);
        threads.giveBack(t, 0);
        threads.takeUpTo(4);

        assertThat(threads.takeUpTo(4)).isNull();
    }

    @Test
    void short_jobs_deepen_the_prefetch_and_long_ones_keep_it_as_configured() {
        assertThat(LocalQueue.prefetchFor(1, -1)).as("nothing ran yet").isEqualTo(1);
        assertThat(LocalQueue.prefetchFor(1, 0.2)).isEqualTo(LocalQueue.MAX_PREFETCH);
        assertThat(LocalQueue.prefetchFor(1, 5)).isEqualTo(4);
        assertThat(LocalQueue.prefetchFor(1, 50)).isEqualTo(1);
        assertThat(LocalQueue.prefetchFor(32, 0.2)).as("configured higher still counts").isEqualTo(32);
        assertThat(LocalQueue.prefetchFor(0, 0.2)).as("0: never a job behind another").isZero();
    }

    @Test
    void the_node_remembers_how_long_its_jobs_ran_lately() {
        assertThat(pool.recentRunMs()).isNegative();
        takeBoth();
        pool.giveBack(a, 100);
        pool.giveBack(b, 0);

        assertThat(pool.recentRunMs()).isBetween(90.0, 100.0);
    }

    private void takeBoth() {
        pool.takeUpTo(4);
        pool.takeUpTo(4);
    }

    /** A worker that takes every job and never ends one; shared by the assistant's tests. */
    record Slot(String name, boolean holdsMore) implements WorkerSlot {
        public CompletableFuture<JobOutcome> execute(Delivery job) {
            return new CompletableFuture<>();
        }

        public boolean interrupt(long jobId) {
            return false;
        }

        public boolean healthy() {
            return true;
        }

        public void close() {
        }
    }
}

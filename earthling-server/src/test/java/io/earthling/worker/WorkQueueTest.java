package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.ExecuteResponse;
import io.earthling.worker.internal.WorkQueue;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WorkQueueTest {
    private static final long SLOW_MS = 10;

    private final ExecutorService jobThread = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<ExecuteResponse> answers = new CopyOnWriteArrayList<>();
    private final List<Integer> messages = new CopyOnWriteArrayList<>();
    private final Map<Long, CountDownLatch> blocked = new ConcurrentHashMap<>();
    private final List<Long> ran = new CopyOnWriteArrayList<>();
    private volatile boolean completed;
    private final WorkQueue queue = queue(SLOW_MS);
    /** For tests that must not see a hand-back: nothing turns slow within a test. */
    private final WorkQueue patient = queue(60_000);

    private WorkQueue queue(long slowMs) {
        return new WorkQueue(this::run, new StreamObserver<>() {
            public void onNext(AnswerBatch b) {
                answers.addAll(b.getAnswersList());
                messages.add(b.getAnswersCount());
            }

            public void onError(Throwable t) {
            }

            public void onCompleted() {
                completed = true;
            }
        }, jobThread, timer, slowMs);
    }

    @AfterEach
    void stop() {
        blocked.values().forEach(CountDownLatch::countDown);
        jobThread.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void quick_jobs_run_one_after_another_in_the_order_they_came() {
        for (long id = 1; id <= 50; id++) {
            patient.add(job(id));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 50);
        assertThat(ran).containsExactlyElementsOf(ids(1, 50));
        assertThat(answers).extracting(ExecuteResponse::getJobId).containsExactlyElementsOf(ids(1, 50));
        assertThat(answers).noneMatch(ExecuteResponse::getReturned);
    }

    @Test
    void answers_of_jobs_that_waited_together_go_back_together() {
        blocked.put(1L, new CountDownLatch(1));
        for (long id = 1; id <= 20; id++) {
            patient.add(job(id));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(1L));

        blocked.get(1L).countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 20);
        assertThat(answers).extracting(ExecuteResponse::getJobId).containsExactlyElementsOf(ids(1, 20));
        assertThat(messages).as("answers per message").hasSizeLessThan(20);
    }

    @Test
    void an_answer_held_for_the_next_job_goes_back_once_that_job_runs_long() {
        blocked.put(2L, new CountDownLatch(1));
        patient.addAll(List.of(job(1), job(2)));

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 1 && ran.size() == 2);
        assertThat(answers.get(0).getJobId()).isEqualTo(1L);
        assertThat(blocked.get(2L).getCount()).as("job 2 still runs").isEqualTo(1);
    }

    @Test
    void jobs_waiting_behind_one_that_turns_slow_are_handed_back_unstarted() {
        blocked.put(1L, new CountDownLatch(1));
        queue.add(job(1));
        queue.add(job(2));
        queue.add(job(3));

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
        assertThat(answers).extracting(ExecuteResponse::getJobId).containsExactly(2L, 3L);
        assertThat(answers).allMatch(ExecuteResponse::getReturned);
        assertThat(ran).containsExactly(1L);

        blocked.get(1L).countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 3);
        assertThat(answers.get(2).getJobId()).isEqualTo(1L);
        assertThat(answers.get(2).getReturned()).isFalse();
    }

    @Test
    void a_job_that_arrives_behind_a_slow_one_is_handed_back_at_once() {
        blocked.put(1L, new CountDownLatch(1));
        queue.add(job(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(1L));
        long since = System.nanoTime();
        await().until(() -> System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(SLOW_MS));

        queue.add(job(2));

        assertThat(answers).singleElement().satisfies(a -> {
            assertThat(a.getJobId()).isEqualTo(2L);
            assertThat(a.getReturned()).isTrue();
        });
    }

    @Test
    void a_waiting_job_can_be_cancelled_before_it_starts() {
        blocked.put(1L, new CountDownLatch(1));
        patient.add(job(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(1L));
        patient.add(job(2));

        assertThat(patient.cancelWaiting(2)).isTrue();
        assertThat(patient.cancelWaiting(1)).as("the running job is not waiting").isFalse();

        assertThat(answers).singleElement().satisfies(a -> {
            assertThat(a.getJobId()).isEqualTo(2L);
            assertThat(a.getCancelled()).isTrue();
        });
        blocked.get(1L).countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
        assertThat(ran).containsExactly(1L);
    }

    @Test
    void an_abandoned_stream_drops_its_waiting_jobs_and_finishes_only_the_running_one() {
        blocked.put(1L, new CountDownLatch(1));
        patient.add(job(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(1L));
        patient.add(job(2));
        patient.add(job(3));

        patient.abandon();
        blocked.get(1L).countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 1);
        assertThat(ran).containsExactly(1L);
    }

    @Test
    void the_answer_stream_completes_after_the_jobs_already_there() {
        blocked.put(1L, new CountDownLatch(1));
        patient.add(job(1));
        patient.end();

        assertThat(completed).isFalse();
        blocked.get(1L).countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> completed);
        assertThat(answers).extracting(ExecuteResponse::getJobId).containsExactly(1L);
    }

    private ExecuteResponse run(ExecuteRequest r) {
        ran.add(r.getJobId());
        CountDownLatch latch = blocked.get(r.getJobId());
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ExecuteResponse.newBuilder().setJobId(r.getJobId()).setOk(true).build();
    }

    private static ExecuteRequest job(long id) {
        return ExecuteRequest.newBuilder().setJobId(id).setType("noop").build();
    }

    private static List<Long> ids(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }
}

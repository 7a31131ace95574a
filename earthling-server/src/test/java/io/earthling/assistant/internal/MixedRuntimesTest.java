package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A node with Java and Python workers: each job goes to a worker that runs its type. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MixedRuntimesTest {
    private final TypedSlot java = new TypedSlot("java", Set.of("noop", "echo"));
    private final TypedSlot python = new TypedSlot("python", Set.of("py.analyze"));
    private final SlotPool pool = new SlotPool(List.of(java, python));
    private final LocalQueue queue = new LocalQueue(pool, new RunningJobs(), new ResultOutbox(), new Lifecycle(), 1);

    @Test
    void an_idle_worker_takes_only_the_types_it_runs() {
        assertThat(pool.take("py.analyze")).isSameAs(python);
        assertThat(pool.take("py.analyze")).as("the Java worker is idle but does not run it").isNull();
        assertThat(pool.take("noop")).isSameAs(java);
    }

    @Test
    void a_job_waiting_for_its_busy_runtime_does_not_hold_up_a_job_for_the_idle_one() {
        DeliverResponse.Builder first = queue.take(List.of(job(1, "py.analyze"), job(2, "py.analyze")));
        assertThat(first.getAcceptedList()).containsExactly(1L, 2L);
        assertThat(python.started).containsExactly(1L);
        assertThat(java.started).isEmpty();

        queue.take(List.of(job(3, "noop")));
        assertThat(java.started).as("behind the waiting Python job, on the idle Java worker").containsExactly(3L);

        python.finish(1);
        assertThat(python.started).containsExactly(1L, 2L);
        assertThat(queue.waitingCount()).isZero();
    }

    private static Delivery job(long id, String type) {
        return Delivery.newBuilder().setJobId(id).setAttempt(1).setType(type).build();
    }

    /** A worker process that runs some types and ends a job when told. */
    static final class TypedSlot implements WorkerSlot {
        final String name;
        final Set<String> types;
        final List<Long> started = new ArrayList<>();
        final java.util.Map<Long, CompletableFuture<JobOutcome>> open = new java.util.HashMap<>();

        TypedSlot(String name, Set<String> types) {
            this.name = name;
            this.types = types;
        }

        void finish(long id) {
            open.remove(id).complete(JobOutcome.newBuilder().setJobId(id).setAttempt(1)
                    .setStatus(JobOutcome.Status.SUCCEEDED).setStartedAtMs(1).setFinishedAtMs(100).build());
        }

        public String name() {
            return name;
        }

        public boolean runs(String type) {
            return types.contains(type);
        }

        public CompletableFuture<JobOutcome> execute(Delivery job) {
            started.add(job.getJobId());
            CompletableFuture<JobOutcome> f = new CompletableFuture<>();
            open.put(job.getJobId(), f);
            return f;
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

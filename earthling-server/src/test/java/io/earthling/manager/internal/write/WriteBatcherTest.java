package io.earthling.manager.internal.write;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.store.Inserted;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.StateChange;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteBatcherTest {
    private final Store store = Store.open(new StoreSettings("jdbc:h2:mem:write-batcher;DB_CLOSE_DELAY=-1", null, null, 2));
    private final long epoch = store.lease().tryAcquire("test", Duration.ofMinutes(1)).orElseThrow();
    private final BatchStats stats = new BatchStats();
    private final WriteBatcher writer = new WriteBatcher(store.jobs(), epoch, stats, e -> { });

    @AfterEach
    void close() throws Exception {
        writer.close();
        store.close();
    }

    @Test
    void writes_held_in_one_turn_wait_for_the_release_and_then_share_one_transaction() {
        List<Inserted> jobs = writer.insert(List.of(job(), job(), job())).join();
        long before = stats.batches();

        CompletableFuture<boolean[]> first = writer.applyHeld(List.of(assign(jobs.get(0)), assign(jobs.get(1))));
        CompletableFuture<boolean[]> second = writer.applyHeld(List.of(assign(jobs.get(0)), assign(jobs.get(2))));
        assertThat(first).as("held until released").isNotDone();
        writer.release();

        assertThat(first.join()).containsExactly(true, true);
        // The same job twice in one batch: the second move finds it ASSIGNED already and is not applied.
        assertThat(second.join()).containsExactly(false, true);
        assertThat(stats.batches() - before).isEqualTo(1);
    }

    @Test
    void a_delete_comes_after_the_changes_handed_over_before_it_and_in_chunks_through_deletes() {
        List<Inserted> jobs = writer.insert(List.of(job(), job(), job())).join();
        CompletableFuture<boolean[]> dead = writer.apply(List.of(
                StateChange.of(jobs.get(0).id(), EnumSet.of(PENDING), io.earthling.api.JobState.DEAD).build(),
                StateChange.of(jobs.get(1).id(), EnumSet.of(PENDING), io.earthling.api.JobState.DEAD).build()));
        List<Long> ids = jobs.stream().map(Inserted::id).toList();

        List<Long> deleted = io.earthling.manager.internal.intake.Deletes.apply(writer, ids).join();

        assertThat(dead.join()).containsExactly(true, true);
        assertThat(deleted).containsExactly(ids.get(0), ids.get(1));
        assertThat(store.jobs().get(ids)).extracting(io.earthling.store.StoredJob::id).containsExactly(ids.get(2));
        assertThat(writer.deleteFinished(List.of()).join()).isEmpty();
    }

    @Test
    void a_failed_batch_of_state_changes_is_tried_again_before_any_later_one() {
        List<Inserted> jobs = writer.insert(List.of(job())).join();
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(1);
        JobStore flaky = (JobStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("apply")) {
                        @SuppressWarnings("unchecked")
                        List<StateChange> changes = (List<StateChange>) args[0];
                        calls.add(changes.get(0).to().name());
                        if (failures.getAndDecrement() > 0) {
                            throw new io.earthling.store.StoreUnavailableException("lost the database", null);
                        }
                    }
                    try {
                        return method.invoke(store.jobs(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (WriteBatcher retrying = new WriteBatcher(flaky, epoch, stats, e -> { })) {
            CompletableFuture<boolean[]> assigned = retrying.apply(List.of(assign(jobs.get(0))));
            CompletableFuture<boolean[]> running = retrying.apply(List.of(StateChange.of(jobs.get(0).id(),
                    EnumSet.of(ASSIGNED), io.earthling.api.JobState.RUNNING).build()));

            assertThat(assigned.join()).containsExactly(true);
            assertThat(running.join()).as("found the job ASSIGNED: the failed batch went first").containsExactly(true);
            assertThat(calls.get(0)).isEqualTo("ASSIGNED");
            assertThat(calls.get(1)).isEqualTo("ASSIGNED");
        }
    }

    @Test
    void a_deferred_change_waits_for_its_linger_while_other_changes_are_written() {
        try (WriteBatcher lingering = new WriteBatcher(store.jobs(), epoch, stats, e -> { }, Duration.ofHours(1))) {
            List<Inserted> jobs = lingering.insert(List.of(job(), job())).join();
            CompletableFuture<boolean[]> deferred = lingering.deferHeld(List.of(assign(jobs.get(0))));
            lingering.release();

            assertThat(lingering.apply(List.of(assign(jobs.get(1)))).join()).containsExactly(true);
            assertThat(deferred).as("another job's change does not take it along").isNotDone();
            assertThat(store.jobs().get(jobs.get(0).id()).orElseThrow().state()).isEqualTo(PENDING);
        }
    }

    @Test
    void a_later_change_of_the_same_job_takes_its_deferred_changes_along_in_order() {
        try (WriteBatcher lingering = new WriteBatcher(store.jobs(), epoch, stats, e -> { }, Duration.ofHours(1))) {
            long id = lingering.insert(List.of(job())).join().get(0).id();
            CompletableFuture<boolean[]> assigned = lingering.deferHeld(List.of(assign(new Inserted(id, true))));
            lingering.release();
            CompletableFuture<boolean[]> running = lingering.deferHeld(List.of(StateChange.of(id, EnumSet.of(ASSIGNED),
                    RUNNING).attempts(1).worker("w1").build()));
            lingering.release();
            long before = stats.batches();

            boolean[] done = lingering.apply(List.of(StateChange.of(id, EnumSet.of(RUNNING), SUCCEEDED).build())).join();

            assertThat(done).containsExactly(true);
            assertThat(assigned.join()).containsExactly(true);
            assertThat(running.join()).containsExactly(true);
            assertThat(stats.batches() - before).as("one transaction").isEqualTo(1);
            assertThat(store.jobs().events(id)).extracting(io.earthling.store.JobEvent::kind)
                    .containsExactly("ASSIGNED", "RUNNING", "SUCCEEDED");
        }
    }

    @Test
    void a_deferred_change_is_written_once_its_linger_is_over() {
        try (WriteBatcher lingering = new WriteBatcher(store.jobs(), epoch, stats, e -> { }, Duration.ofMillis(1))) {
            long id = lingering.insert(List.of(job())).join().get(0).id();
            CompletableFuture<boolean[]> assigned = lingering.deferHeld(List.of(assign(new Inserted(id, true))));
            lingering.release();

            assertThat(assigned.join()).containsExactly(true);
            assertThat(store.jobs().get(id).orElseThrow().state()).isEqualTo(ASSIGNED);
        }
    }

    @Test
    void a_change_the_transition_table_forbids_is_not_applied_and_the_rest_are_written() {
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        try (WriteBatcher guarded = new WriteBatcher(store.jobs(), epoch, stats, e -> lost.set(true))) {
            List<Inserted> jobs = guarded.insert(List.of(job(), job())).join();
            CompletableFuture<boolean[]> mixed = guarded.apply(List.of(StateChange.of(jobs.get(0).id(),
                    EnumSet.of(ASSIGNED), io.earthling.api.JobState.DEAD).build(), assign(jobs.get(1))));

            assertThat(mixed.join()).containsExactly(false, true);
            assertThat(store.jobs().get(jobs.get(1).id()).orElseThrow().state()).isEqualTo(ASSIGNED);
            assertThat(lost).as("the leader goes on").isFalse();
        }
    }

    @Test
    void closing_writes_the_deferred_changes_first() {
        WriteBatcher lingering = new WriteBatcher(store.jobs(), epoch, stats, e -> { }, Duration.ofHours(1));
        long id = lingering.insert(List.of(job())).join().get(0).id();
        CompletableFuture<boolean[]> assigned = lingering.deferHeld(List.of(assign(new Inserted(id, true))));
        lingering.release();

        lingering.close();

        assertThat(assigned.join()).containsExactly(true);
        assertThat(store.jobs().get(id).orElseThrow().state()).isEqualTo(ASSIGNED);
    }

    @Test
    void a_release_with_nothing_held_writes_nothing() {
        writer.release();
        assertThat(stats.batches()).isZero();
    }

    private static NewJob job() {
        return new NewJob("default", "noop", "{}", 0, 3, 0, 0, null, null, null, 1);
    }

    private static StateChange assign(Inserted job) {
        return StateChange.of(job.id(), EnumSet.of(PENDING), ASSIGNED).node("n1").build();
    }
}

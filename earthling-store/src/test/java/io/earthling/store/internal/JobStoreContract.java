package io.earthling.store.internal;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.core.IllegalTransitionException;
import io.earthling.store.ExternalInserts;
import io.earthling.store.FencedException;
import io.earthling.store.Inserted;
import io.earthling.store.JobEvent;
import io.earthling.store.JobQuery;
import io.earthling.store.JobStore;
import io.earthling.store.LeaderLease;
import io.earthling.store.NewJob;
import io.earthling.store.ScheduleStore;
import io.earthling.store.StateChange;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import io.earthling.store.StoredJob;
import io.earthling.store.StoredSchedule;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What every {@link Store} must do, run against each database by a subclass. Each test gets a fresh database. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class JobStoreContract {
    static final long NO_LEADER = 0;

    Store store;
    JobStore jobs;
    LeaderLease lease;
    StoreSettings settings;

    /** A fresh, empty database nobody else uses. */
    abstract StoreSettings newDatabase() throws Exception;

    void dropDatabase(StoreSettings settings) throws Exception {
    }

    @BeforeEach
    void open() throws Exception {
        settings = newDatabase();
        store = Store.open(settings);
        jobs = store.jobs();
        lease = store.lease();
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropDatabase(settings);
    }

    static NewJob job(String type) {
        return new NewJob("default", type, "{\"n\":1}", 0, 3, 0, 0, null, null);
    }

    void sql(String statement) throws SQLException {
        Properties props = new Properties();
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        try (Connection c = DriverManager.getConnection(settings.url(), props); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    StoredJob get(long id) {
        return jobs.get(id).orElseThrow();
    }

    long insertOne(String type) {
        return jobs.insert(List.of(job(type)), NO_LEADER).get(0);
    }

    // ---- insert

    @Test
    void insert_returns_the_new_ids_in_the_order_of_the_jobs() {
        List<NewJob> batch = List.of(job("a"), job("b"), job("c"), job("d"));

        List<Long> ids = jobs.insert(batch, NO_LEADER);

        assertThat(ids).hasSize(4).isSorted().doesNotHaveDuplicates();
        assertThat(ids.stream().map(id -> get(id).type())).containsExactly("a", "b", "c", "d");
    }

    @Test
    void insert_writes_every_field_of_the_new_job() {
        long runAt = System.currentTimeMillis() + 60_000;
        NewJob n = new NewJob("mail", "send", "{\"to\":\"x\"}", 7, 5, runAt, 30_000, "key-1", "route-1");

        StoredJob j = get(jobs.insert(List.of(n), NO_LEADER).get(0));

        assertThat(j.queue()).isEqualTo("mail");
        assertThat(j.type()).isEqualTo("send");
        assertThat(j.payload()).isEqualTo("{\"to\":\"x\"}");
        assertThat(j.priority()).isEqualTo(7);
        assertThat(j.maxAttempts()).isEqualTo(5);
        assertThat(j.runAtMs()).isEqualTo(runAt);
        assertThat(j.timeoutMs()).isEqualTo(30_000);
        assertThat(j.idempotencyKey()).isEqualTo("key-1");
        assertThat(j.routingKey()).isEqualTo("route-1");
        assertThat(j.state()).isEqualTo(PENDING);
        assertThat(j.attempts()).isZero();
        assertThat(j.createdAtMs()).isPositive();
        assertThat(j.startedAtMs()).isZero();
        assertThat(j.finishedAtMs()).isZero();
    }

    @Test
    void a_job_without_a_due_time_is_due_at_once() {
        long before = System.currentTimeMillis();

        StoredJob j = get(insertOne("a"));

        assertThat(j.runAtMs()).isBetween(before - 5_000, System.currentTimeMillis() + 5_000);
    }

    @Test
    void insert_takes_ten_thousand_jobs_in_one_call() {
        List<NewJob> batch = IntStream.range(0, 10_000).mapToObj(i -> job("t" + i)).toList();

        List<Long> ids = jobs.insert(batch, NO_LEADER);

        assertThat(ids).hasSize(10_000).isSorted().doesNotHaveDuplicates();
        List<StoredJob> stored = jobs.loadActive();
        assertThat(stored).extracting(StoredJob::id).containsExactlyElementsOf(ids);
        assertThat(stored).extracting(StoredJob::type)
                .containsExactlyElementsOf(batch.stream().map(NewJob::type).toList());
    }

    @Test
    void inserted_jobs_are_already_picked_up() {
        insertOne("a");

        assertThat(jobs.claimExternal(10, NO_LEADER)).isEmpty();
    }

    @Test
    void a_second_job_with_the_same_idempotency_key_in_a_queue_gets_the_first_ones_id_and_inserts_nothing() {
        NewJob first = new NewJob("q", "a", "{}", 0, 3, 0, 0, "same", null);
        long id = jobs.insert(List.of(first), NO_LEADER).get(0);

        List<Inserted> again = jobs.add(List.of(job("b"), first, first), NO_LEADER);

        assertThat(again.get(0).created()).isTrue();
        assertThat(again.subList(1, 3)).containsOnly(new Inserted(id, false));
        assertThat(jobs.countByState().get(PENDING)).isEqualTo(2);
    }

    @Test
    void jobs_sharing_a_new_idempotency_key_in_one_batch_become_one_job() {
        NewJob keyed = new NewJob("q", "a", "{}", 0, 3, 0, 0, "k", null);
        NewJob otherQueue = new NewJob("r", "a", "{}", 0, 3, 0, 0, "k", null);

        List<Inserted> out = jobs.add(List.of(keyed, keyed, otherQueue, keyed), NO_LEADER);

        assertThat(out.get(0).created()).isTrue();
        assertThat(out.get(1)).isEqualTo(new Inserted(out.get(0).id(), false));
        assertThat(out.get(2).created()).as("the key is per queue").isTrue();
        assertThat(out.get(3)).isEqualTo(new Inserted(out.get(0).id(), false));
        assertThat(jobs.countByState().get(PENDING)).isEqualTo(2);
    }

    @Test
    void concurrent_inserts_all_commit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> jobs.insert(
                        IntStream.range(0, 500).mapToObj(i -> job("c")).toList(), NO_LEADER)));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> r : results) {
                all.addAll(r.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(4_000);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- rows inserted by other systems

    @Test
    void a_plain_sql_insert_gets_every_default() throws SQLException {
        sql("INSERT INTO jobs (type, payload) VALUES ('echo','{\"n\":1}')");

        List<StoredJob> claimed = jobs.claimExternal(10, NO_LEADER);

        assertThat(claimed).hasSize(1);
        StoredJob j = claimed.get(0);
        assertThat(j.type()).isEqualTo("echo");
        assertThat(j.payload()).isEqualTo("{\"n\":1}");
        assertThat(j.state()).isEqualTo(PENDING);
        assertThat(j.queue()).isEqualTo("default");
        assertThat(j.priority()).isZero();
        assertThat(j.attempts()).isZero();
        assertThat(j.maxAttempts()).isEqualTo(3);
        assertThat(j.runAtMs()).isPositive();
        assertThat(j.createdAtMs()).isPositive();
    }

    @Test
    void claim_external_returns_a_plain_sql_insert_once_and_then_never_again() throws SQLException {
        sql("INSERT INTO jobs (type, payload) VALUES ('echo','{\"n\":1}')");

        assertThat(jobs.claimExternal(10, NO_LEADER)).hasSize(1);
        assertThat(jobs.claimExternal(10, NO_LEADER)).isEmpty();
    }

    @Test
    void claim_external_takes_at_most_the_limit_oldest_first() throws SQLException {
        for (int i = 0; i < 5; i++) {
            sql("INSERT INTO jobs (type) VALUES ('t" + i + "')");
        }

        List<StoredJob> first = jobs.claimExternal(3, NO_LEADER);
        List<StoredJob> rest = jobs.claimExternal(3, NO_LEADER);

        assertThat(first).extracting(StoredJob::type).containsExactly("t0", "t1", "t2");
        assertThat(rest).extracting(StoredJob::type).containsExactly("t3", "t4");
        assertThat(jobs.loadActive()).hasSize(5);
    }

    @Test
    void claimed_jobs_carry_the_claiming_epoch() throws SQLException {
        long epoch = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();
        sql("INSERT INTO jobs (type) VALUES ('echo')");

        StoredJob j = jobs.claimExternal(1, epoch).get(0);

        assertThat(j.epoch()).isEqualTo(epoch);
        assertThat(get(j.id()).epoch()).isEqualTo(epoch);
    }

    @Test
    void concurrent_claims_never_hand_out_a_row_twice() throws Exception {
        sql("INSERT INTO jobs (type) SELECT 'x' FROM (SELECT 1 AS n) a CROSS JOIN (" + "SELECT 1 AS n UNION ALL ".repeat(199)
                + "SELECT 1) b");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (List<StoredJob> got = jobs.claimExternal(7, NO_LEADER); !got.isEmpty();
                         got = jobs.claimExternal(7, NO_LEADER)) {
                        got.forEach(j -> mine.add(j.id()));
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> r : results) {
                all.addAll(r.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(200).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- state changes

    @Test
    void apply_moves_a_job_through_its_states() {
        long id = insertOne("a");

        boolean[] applied = jobs.apply(List.of(
                StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(1).node("n1").worker("w1").build(),
                StateChange.of(id, Set.of(ASSIGNED), RUNNING).startedAt(1_000_000).build(),
                StateChange.of(id, Set.of(RUNNING), SUCCEEDED).result("{\"ok\":true}").finishedAt(2_000_000).build()),
                NO_LEADER);

        assertThat(applied).containsExactly(true, true, true);
        StoredJob j = get(id);
        assertThat(j.state()).isEqualTo(SUCCEEDED);
        assertThat(j.attempts()).isEqualTo(1);
        assertThat(j.assignedNode()).isEqualTo("n1");
        assertThat(j.assignedWorker()).isEqualTo("w1");
        assertThat(j.result()).isEqualTo("{\"ok\":true}");
        assertThat(j.error()).isNull();
        assertThat(j.startedAtMs()).isEqualTo(1_000_000);
        assertThat(j.finishedAtMs()).isEqualTo(2_000_000);
    }

    @Test
    void a_change_that_follows_one_that_was_skipped_is_still_tried_on_its_own() {
        long id = insertOne("a");
        jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(1).node("n1").build(),
                StateChange.of(id, Set.of(ASSIGNED), RUNNING).build()), NO_LEADER);

        boolean[] applied = jobs.apply(List.of(
                StateChange.of(id, Set.of(PENDING), ASSIGNED).node("n2").build(),
                StateChange.of(id, Set.of(ASSIGNED, RUNNING), SUCCEEDED).via(RUNNING).result("{}").build()), NO_LEADER);

        assertThat(applied).containsExactly(false, true);
        assertThat(get(id).state()).isEqualTo(SUCCEEDED);
        assertThat(get(id).assignedNode()).isEqualTo("n1");
        assertThat(jobs.events(id)).extracting(JobEvent::kind).containsExactly("ASSIGNED", "RUNNING", "SUCCEEDED");
    }

    @Test
    void apply_skips_a_change_whose_job_is_not_in_one_of_its_from_states() {
        long a = insertOne("a");
        long b = insertOne("b");

        boolean[] applied = jobs.apply(List.of(
                StateChange.of(a, Set.of(ASSIGNED), RUNNING).build(),
                StateChange.of(b, Set.of(PENDING), ASSIGNED).build()), NO_LEADER);

        assertThat(applied).containsExactly(false, true);
        assertThat(get(a).state()).isEqualTo(PENDING);
        assertThat(get(b).state()).isEqualTo(ASSIGNED);
    }

    @Test
    void a_change_with_several_from_states_applies_from_any_of_them() {
        long pending = insertOne("a");
        long assigned = insertOne("b");
        jobs.apply(List.of(StateChange.of(assigned, Set.of(PENDING), ASSIGNED).build()), NO_LEADER);
        Set<JobState> active = EnumSet.of(PENDING, ASSIGNED, RUNNING);

        boolean[] applied = jobs.apply(List.of(
                StateChange.of(pending, active, CANCELLED).build(),
                StateChange.of(assigned, active, CANCELLED).build()), NO_LEADER);

        assertThat(applied).containsExactly(true, true);
        assertThat(get(pending).state()).isEqualTo(CANCELLED);
        assertThat(get(assigned).state()).isEqualTo(CANCELLED);
    }

    @Test
    void a_change_for_a_job_that_does_not_exist_is_not_applied() {
        assertThat(jobs.apply(List.of(StateChange.of(999_999, Set.of(PENDING), ASSIGNED).build()), NO_LEADER))
                .containsExactly(false);
    }

    @Test
    void a_retry_keeps_the_fields_it_does_not_set_and_moves_the_due_time() {
        long id = insertOne("a");
        jobs.apply(List.of(
                StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(1).node("n1").build(),
                StateChange.of(id, Set.of(ASSIGNED), RUNNING).startedAt(5_000).build()), NO_LEADER);

        long later = System.currentTimeMillis() + 30_000;
        jobs.apply(List.of(StateChange.of(id, Set.of(RUNNING), PENDING).error("boom").runAt(later).build()),
                NO_LEADER);

        StoredJob j = get(id);
        assertThat(j.state()).isEqualTo(PENDING);
        assertThat(j.error()).isEqualTo("boom");
        assertThat(j.runAtMs()).isEqualTo(later);
        assertThat(j.attempts()).isEqualTo(1);
        assertThat(j.assignedNode()).isEqualTo("n1");
        assertThat(j.startedAtMs()).isEqualTo(5_000);
    }

    @Test
    void an_illegal_transition_is_refused_and_nothing_changes() {
        long a = insertOne("a");
        long b = insertOne("b");

        assertThatThrownBy(() -> jobs.apply(List.of(
                StateChange.of(a, Set.of(PENDING), ASSIGNED).build(),
                StateChange.of(b, Set.of(PENDING), SUCCEEDED).build()), NO_LEADER))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("PENDING").hasMessageContaining("SUCCEEDED");

        assertThat(get(a).state()).isEqualTo(PENDING);
        assertThat(get(b).state()).isEqualTo(PENDING);
    }

    @Test
    void a_change_is_illegal_if_any_of_its_from_states_cannot_reach_the_target() {
        long a = insertOne("a");

        assertThatThrownBy(() -> jobs.apply(
                List.of(StateChange.of(a, Set.of(PENDING, RUNNING), SUCCEEDED).build()), NO_LEADER))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void a_change_via_running_takes_an_assigned_job_to_its_outcome_in_one_write() {
        long id = insertOne("a");
        jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(1).node("n1").build()), NO_LEADER);

        boolean[] applied = jobs.apply(List.of(StateChange.of(id, Set.of(ASSIGNED, RUNNING), SUCCEEDED).via(RUNNING)
                .worker("w1").startedAt(1_000_000).finishedAt(2_000_000).build()), NO_LEADER);

        assertThat(applied).containsExactly(true);
        StoredJob j = get(id);
        assertThat(j.state()).isEqualTo(SUCCEEDED);
        assertThat(j.startedAtMs()).isEqualTo(1_000_000);
        assertThat(j.finishedAtMs()).isEqualTo(2_000_000);
    }

    @Test
    void a_change_via_a_state_is_illegal_if_either_step_is() {
        long a = insertOne("a");

        assertThatThrownBy(() -> jobs.apply(List.of(StateChange.of(a, Set.of(PENDING), SUCCEEDED).via(RUNNING).build()),
                NO_LEADER)).isInstanceOf(IllegalTransitionException.class);
        assertThat(get(a).state()).isEqualTo(PENDING);
    }

    @Test
    void a_paused_queue_stays_paused_until_resumed() {
        store.queues().setPaused("mail", true, NO_LEADER);
        store.queues().setPaused("crawl", true, NO_LEADER);
        store.queues().setPaused("crawl", false, NO_LEADER);

        assertThat(store.queues().paused()).containsExactly("mail");
    }

    @Test
    void a_job_keeps_its_concurrency_key_and_limit() {
        long id = jobs.insert(List.of(new NewJob("q", "a", "{}", 0, 3, 0, 0, null, null, "customer-7", 2)),
                NO_LEADER).get(0);

        assertThat(get(id).concurrencyKey()).isEqualTo("customer-7");
        assertThat(get(id).concurrencyLimit()).isEqualTo(2);
    }

    @Test
    void a_change_without_from_states_is_refused() {
        long a = insertOne("a");

        assertThatThrownBy(() -> jobs.apply(List.of(StateChange.of(a, Set.of(), ASSIGNED).build()), NO_LEADER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_succeeded_job_is_final() {
        long a = insertOne("a");
        jobs.apply(List.of(StateChange.of(a, Set.of(PENDING), ASSIGNED).build(),
                StateChange.of(a, Set.of(ASSIGNED), RUNNING).build(),
                StateChange.of(a, Set.of(RUNNING), SUCCEEDED).build()), NO_LEADER);

        assertThatThrownBy(() -> jobs.apply(List.of(StateChange.of(a, Set.of(SUCCEEDED), PENDING).build()), NO_LEADER))
                .isInstanceOf(IllegalTransitionException.class);
    }

    // ---- events

    @Test
    void applied_changes_are_recorded_as_events_oldest_first() {
        long id = insertOne("a");
        long other = insertOne("b");

        jobs.apply(List.of(
                StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(1).node("n1").worker("w1").build(),
                StateChange.of(other, Set.of(RUNNING), SUCCEEDED).build(),
                StateChange.of(id, Set.of(ASSIGNED), RUNNING).build(),
                StateChange.of(id, Set.of(RUNNING), PENDING).event("RETRY", "boom").build()), NO_LEADER);

        List<JobEvent> events = jobs.events(id);
        assertThat(events).extracting(JobEvent::kind).containsExactly("ASSIGNED", "RUNNING", "RETRY");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.jobId()).isEqualTo(id);
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.node()).isEqualTo("n1");
            assertThat(e.worker()).isEqualTo("w1");
            assertThat(e.atMs()).isPositive();
        });
        assertThat(events.get(2).detail()).isEqualTo("boom");
        assertThat(jobs.events(other)).as("a skipped change writes no event").isEmpty();
    }

    @Test
    void a_new_assignment_event_names_its_node_and_not_the_previous_attempts_worker() {
        long id = insertOne("a");

        jobs.apply(List.of(
                StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(1).node("n1").worker("w1").build(),
                StateChange.of(id, Set.of(ASSIGNED), PENDING).event("NODE_LOST", "n1 went offline").build(),
                StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(2).node("n2").build()), NO_LEADER);

        List<JobEvent> events = jobs.events(id);
        assertThat(events).extracting(JobEvent::kind).containsExactly("ASSIGNED", "NODE_LOST", "ASSIGNED");
        assertThat(events.get(1).worker()).as("a change naming nobody keeps the job's worker").isEqualTo("w1");
        assertThat(events.get(2).node()).isEqualTo("n2");
        assertThat(events.get(2).worker()).isNull();
    }

    @Test
    void a_change_without_an_event_writes_none() {
        long id = insertOne("a");

        jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), ASSIGNED).event(null, null).build()), NO_LEADER);

        assertThat(get(id).state()).isEqualTo(ASSIGNED);
        assertThat(jobs.events(id)).isEmpty();
    }

    // ---- retry

    @Test
    void a_retried_dead_job_is_pending_again_with_a_fresh_attempt_budget_and_its_old_errors_in_the_log() {
        long id = insertOne("fail");
        jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), DEAD).attempts(3).error("boom").finishedAt(1_000)
                .event("DEAD", "attempt 3: boom").build()), NO_LEADER);

        boolean[] applied = jobs.apply(List.of(StateChange.of(id, Set.of(DEAD), PENDING).attempts(0).runAt(2_000)
                .event("RETRIED", "by request").build()), NO_LEADER);

        assertThat(applied).containsExactly(true);
        StoredJob j = get(id);
        assertThat(j.state()).isEqualTo(PENDING);
        assertThat(j.attempts()).isZero();
        assertThat(j.finishedAtMs()).isZero();
        assertThat(jobs.events(id)).extracting(JobEvent::kind).containsExactly("DEAD", "RETRIED");
        assertThat(jobs.events(id).get(0).detail()).isEqualTo("attempt 3: boom");
    }

    @Test
    void a_delayed_job_run_now_stays_pending_with_the_new_due_time_and_an_event() {
        long later = System.currentTimeMillis() + 3_600_000;
        long id = jobs.insert(List.of(new NewJob("default", "t", "{}", 0, 3, later, 0, null, null)), NO_LEADER).get(0);
        long now = System.currentTimeMillis();

        boolean[] applied = jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), PENDING).runAt(now)
                .event("RUN_NOW", "by request").build()), NO_LEADER);

        assertThat(applied).containsExactly(true);
        assertThat(get(id).state()).isEqualTo(PENDING);
        assertThat(get(id).runAtMs()).isEqualTo(now);
        assertThat(jobs.events(id)).extracting(JobEvent::kind).containsExactly("RUN_NOW");
    }

    @Test
    void run_now_of_a_job_that_left_pending_is_not_applied() {
        long id = insertOne("t");
        jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), ASSIGNED).attempts(1).node("n1").build()), NO_LEADER);

        boolean[] applied = jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), PENDING).runAt(1_000).build()),
                NO_LEADER);

        assertThat(applied).containsExactly(false);
        assertThat(get(id).state()).isEqualTo(ASSIGNED);
    }

    // ---- deletes

    @Test
    void delete_finished_removes_final_jobs_with_their_events_and_logs_and_leaves_the_others() {
        List<Long> ids = jobs.insert(List.of(job("dead"), job("ok"), job("gone"), job("pending"), job("running")),
                NO_LEADER);
        long dead = ids.get(0), ok = ids.get(1), cancelled = ids.get(2), pending = ids.get(3), running = ids.get(4);
        jobs.apply(List.of(
                StateChange.of(dead, Set.of(PENDING), DEAD).error("boom").event("DEAD", "attempt 1: boom").build(),
                StateChange.of(ok, Set.of(PENDING), ASSIGNED).build(),
                StateChange.of(ok, Set.of(ASSIGNED), RUNNING).build(),
                StateChange.of(ok, Set.of(RUNNING), SUCCEEDED).build(),
                StateChange.of(cancelled, Set.of(PENDING), CANCELLED).build(),
                StateChange.of(running, Set.of(PENDING), ASSIGNED).build(),
                StateChange.of(running, Set.of(ASSIGNED), RUNNING).build()), NO_LEADER);
        store.logs().keep(List.of(new io.earthling.store.AttemptLog(dead, 1, 1_000, "log of the dead job"),
                new io.earthling.store.AttemptLog(running, 1, 1_000, "log of the running job")));
        long epoch = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        List<Long> deleted = jobs.deleteFinished(List.of(dead, ok, cancelled, pending, running, 999_999L), epoch);

        assertThat(deleted).containsExactlyInAnyOrder(dead, ok, cancelled);
        assertThat(jobs.get(List.of(dead, ok, cancelled, pending, running))).extracting(StoredJob::id)
                .containsExactlyInAnyOrder(pending, running);
        assertThat(jobs.events(dead)).isEmpty();
        assertThat(store.logs().of(dead)).isEmpty();
        assertThat(jobs.events(running)).isNotEmpty();
        assertThat(store.logs().of(running)).hasSize(1);
    }

    @Test
    void delete_finished_is_fenced() {
        long id = insertOne("dead");
        jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), DEAD).build()), NO_LEADER);
        long epoch = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        assertThatThrownBy(() -> jobs.deleteFinished(List.of(id), epoch - 1)).isInstanceOf(FencedException.class);
        assertThat(get(id).state()).isEqualTo(DEAD);
    }

    @Test
    void delete_finished_keeps_a_child_its_parent_still_waits_for_and_deletes_in_chunks() throws SQLException {
        List<Long> ids = jobs.insert(IntStream.range(0, 1_203).mapToObj(i -> job("t")).toList(), NO_LEADER);
        List<StateChange> die = new ArrayList<>();
        ids.forEach(id -> die.add(StateChange.of(id, Set.of(PENDING), DEAD).build()));
        jobs.apply(die, NO_LEADER);
        long parent = insertOne("parent");
        sql("UPDATE jobs SET state = 'WAITING' WHERE id = " + parent);
        sql("UPDATE jobs SET parent_id = " + parent + " WHERE id = " + ids.get(0));

        List<Long> deleted = jobs.deleteFinished(ids, NO_LEADER);

        assertThat(deleted).hasSize(1_202).doesNotContain(ids.get(0));
        assertThat(jobs.get(ids)).extracting(StoredJob::id).containsExactly(ids.get(0));
    }

    @Test
    void finished_walks_one_final_state_in_id_order_with_its_parents_and_times() throws SQLException {
        List<Long> ids = jobs.insert(List.of(job("a"), job("b"), job("c"), job("d")), NO_LEADER);
        long parent = ids.get(0), child = ids.get(1), other = ids.get(2), pending = ids.get(3);
        jobs.apply(List.of(StateChange.of(parent, Set.of(PENDING), CANCELLED).finishedAt(5_000).build(),
                StateChange.of(child, Set.of(PENDING), CANCELLED).finishedAt(6_000).build(),
                StateChange.of(other, Set.of(PENDING), DEAD).finishedAt(7_000).build()), NO_LEADER);
        sql("UPDATE jobs SET parent_id = " + parent + " WHERE id = " + child);

        List<io.earthling.store.FinishedJob> cancelled = jobs.finished(CANCELLED, 0, 10);

        assertThat(cancelled).extracting(io.earthling.store.FinishedJob::id).containsExactly(parent, child);
        assertThat(cancelled.get(0).parentId()).isZero();
        assertThat(cancelled.get(1).parentId()).isEqualTo(parent);
        assertThat(cancelled.get(1).finishedAtMs()).isEqualTo(6_000);
        assertThat(cancelled.get(0).createdAtMs()).isPositive();
        assertThat(cancelled.get(0).queue()).isEqualTo("default");
        assertThat(jobs.finished(CANCELLED, parent, 10)).extracting(io.earthling.store.FinishedJob::id).containsExactly(child);
        assertThat(jobs.finished(CANCELLED, 0, 1)).hasSize(1);
        assertThat(jobs.finished(DEAD, 0, 10)).extracting(io.earthling.store.FinishedJob::id).containsExactly(other);
        assertThat(jobs.children(List.of(parent, other))).containsExactly(java.util.Map.entry(child, parent));
        assertThat(jobs.maxId()).isEqualTo(pending);
        assertThatThrownBy(() -> jobs.finished(PENDING, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- schedules

    static StoredSchedule schedule(String name, String origin, long lastTick) {
        return new StoredSchedule(name, "* * * * *", "UTC", "default", "echo", "{}", 0, 3, origin, lastTick);
    }

    @Test
    void a_tick_fires_once_the_job_and_the_last_tick_commit_together() {
        ScheduleStore schedules = store.schedules();
        assertThat(schedules.create(schedule("s", "api", 0), NO_LEADER)).isTrue();
        NewJob tickJob = job("echo");

        OptionalLong first = schedules.fire("s", 0, 60_000, tickJob, NO_LEADER);
        OptionalLong stale = schedules.fire("s", 0, 60_000, tickJob, NO_LEADER);

        assertThat(first).isPresent();
        assertThat(stale).as("the last tick moved on: a second firing of the tick writes nothing").isEmpty();
        assertThat(jobs.countByState().get(PENDING)).isEqualTo(1);
        assertThat(schedules.get("s").orElseThrow().lastTickMs()).isEqualTo(60_000);
        assertThat(schedules.fire("gone", 0, 60_000, tickJob, NO_LEADER)).isEmpty();
    }

    @Test
    void a_tick_fired_with_a_stale_epoch_is_fenced_and_changes_nothing() {
        ScheduleStore schedules = store.schedules();
        schedules.create(schedule("s", "api", 0), NO_LEADER);
        long epoch = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        assertThatThrownBy(() -> schedules.fire("s", 0, 60_000, job("echo"), epoch - 1)).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> schedules.create(schedule("t", "api", 0), epoch - 1)).isInstanceOf(FencedException.class);

        assertThat(schedules.get("s").orElseThrow().lastTickMs()).isZero();
        assertThat(jobs.countByState().get(PENDING)).isZero();
        assertThat(schedules.fire("s", 0, 60_000, job("echo"), epoch)).isPresent();
    }

    @Test
    void syncing_the_config_adds_updates_and_removes_config_schedules_and_keeps_the_others() {
        ScheduleStore schedules = store.schedules();
        schedules.create(schedule("mine", "api", 5), NO_LEADER);
        schedules.syncConfig(List.of(schedule("a", "config", 10), schedule("b", "config", 10)), NO_LEADER);
        schedules.fire("a", 10, 60_000, job("echo"), NO_LEADER);

        StoredSchedule changed = new StoredSchedule("a", "0 * * * *", "UTC", "default", "echo", "{}", 0, 3, "config", 99);
        schedules.syncConfig(List.of(changed), NO_LEADER);

        assertThat(schedules.all()).extracting(StoredSchedule::name).containsExactly("a", "mine");
        StoredSchedule a = schedules.get("a").orElseThrow();
        assertThat(a.cron()).isEqualTo("0 * * * *");
        assertThat(a.lastTickMs()).as("a changed definition keeps its last tick").isEqualTo(60_000);
        assertThat(schedules.delete("mine", NO_LEADER)).isTrue();
        assertThat(schedules.delete("mine", NO_LEADER)).isFalse();
        assertThat(schedules.create(schedule("a", "api", 0), NO_LEADER)).as("the name is taken").isFalse();
    }

    // ---- fencing

    @Test
    void writes_with_a_stale_epoch_are_fenced_and_change_nothing() throws SQLException {
        long id = insertOne("a");
        sql("INSERT INTO jobs (type) VALUES ('external')");
        long epoch = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();
        long stale = epoch - 1;

        assertThatThrownBy(() -> jobs.insert(List.of(job("b")), stale)).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), ASSIGNED).build()), stale))
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("epoch " + stale).hasMessageContaining("leader epoch " + epoch);
        assertThatThrownBy(() -> jobs.claimExternal(10, stale)).isInstanceOf(FencedException.class);

        assertThat(get(id).state()).isEqualTo(PENDING);
        assertThat(jobs.events(id)).isEmpty();
        assertThat(jobs.list(new JobQuery(null, null, null, 0, 100))).hasSize(2);
        assertThat(jobs.claimExternal(10, epoch)).extracting(StoredJob::type).containsExactly("external");
    }

    @Test
    void a_leader_that_lost_the_lease_is_fenced_out_by_the_new_one() {
        long old = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();
        long id = jobs.insert(List.of(job("a")), old).get(0);
        lease.release("m1", old);
        long current = lease.tryAcquire("m2", Duration.ofMinutes(1)).orElseThrow();

        assertThatThrownBy(() -> jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), ASSIGNED).build()), old))
                .isInstanceOf(FencedException.class);
        assertThat(jobs.apply(List.of(StateChange.of(id, Set.of(PENDING), ASSIGNED).build()), current))
                .containsExactly(true);
        assertThat(get(id).epoch()).isEqualTo(current);
    }

    // ---- reads

    @Test
    void load_active_returns_the_picked_up_pending_assigned_and_running_jobs_by_id() throws SQLException {
        List<Long> ids = jobs.insert(List.of(job("p"), job("a"), job("r"), job("s"), job("c")), NO_LEADER);
        sql("INSERT INTO jobs (type) VALUES ('not-yet-claimed')");
        jobs.apply(List.of(
                StateChange.of(ids.get(1), Set.of(PENDING), ASSIGNED).build(),
                StateChange.of(ids.get(2), Set.of(PENDING), ASSIGNED).build(),
                StateChange.of(ids.get(2), Set.of(ASSIGNED), RUNNING).build(),
                StateChange.of(ids.get(3), Set.of(PENDING), ASSIGNED).build(),
                StateChange.of(ids.get(3), Set.of(ASSIGNED), RUNNING).build(),
                StateChange.of(ids.get(3), Set.of(RUNNING), SUCCEEDED).build(),
                StateChange.of(ids.get(4), Set.of(PENDING), CANCELLED).build()), NO_LEADER);

        assertThat(jobs.loadActive()).extracting(StoredJob::type).containsExactly("p", "a", "r");
        assertThat(jobs.loadInFlight()).extracting(StoredJob::type).containsExactly("a", "r");
    }

    @Test
    void pending_ids_come_by_queue_in_the_order_they_should_run() {
        List<Long> ids = jobs.insert(List.of(
                new NewJob("q1", "x", "{}", 0, 3, 0, 0, null, null),
                new NewJob("q2", "x", "{}", 0, 3, 0, 0, null, null),
                new NewJob("q1", "x", "{}", 5, 3, 0, 0, null, null),
                new NewJob("q1", "x", "{}", 0, 3, 0, 0, null, null)), NO_LEADER);
        jobs.apply(List.of(StateChange.of(ids.get(3), Set.of(PENDING), CANCELLED).build()), NO_LEADER);

        java.util.Map<String, long[]> pending = jobs.pendingIds();
        assertThat(pending.keySet()).containsExactly("q1", "q2");
        assertThat(pending.get("q1")).containsExactly(ids.get(2), ids.get(0));
        assertThat(pending.get("q2")).containsExactly(ids.get(1));
    }

    @Test
    void list_filters_and_pages_newest_first() {
        jobs.insert(List.of(
                new NewJob("q1", "x", "{}", 0, 3, 0, 0, null, null),
                new NewJob("q2", "x", "{}", 0, 3, 0, 0, null, null),
                new NewJob("q1", "y", "{}", 0, 3, 0, 0, null, null),
                new NewJob("q1", "x", "{}", 0, 3, 0, 0, null, null)), NO_LEADER);
        List<StoredJob> all = jobs.list(new JobQuery(null, null, null, 0, 0));

        assertThat(all).hasSize(4).extracting(StoredJob::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(jobs.list(new JobQuery(null, "q1", "x", 0, 10))).hasSize(2);
        assertThat(jobs.list(new JobQuery(PENDING, null, "y", 0, 10))).hasSize(1);
        assertThat(jobs.list(new JobQuery(RUNNING, null, null, 0, 10))).isEmpty();
        List<StoredJob> page1 = jobs.list(new JobQuery(null, null, null, 0, 3));
        List<StoredJob> page2 = jobs.list(new JobQuery(null, null, null, page1.get(2).id(), 3));
        assertThat(page1).hasSize(3);
        assertThat(page2).extracting(StoredJob::id).containsExactly(all.get(3).id());
    }

    @Test
    void list_searches_payloads_for_literal_text_newest_first() {
        jobs.insert(List.of(
                new NewJob("q1", "x", "{\"to\":\"ada@example.com\"}", 0, 3, 0, 0, null, null),
                new NewJob("q1", "x", "{\"to\":\"bob@example.com\"}", 0, 3, 0, 0, null, null),
                new NewJob("q2", "x", "{\"to\":\"ada@example.com\",\"n\":\"50%_off\"}", 0, 3, 0, 0, null, null)),
                NO_LEADER);

        assertThat(jobs.list(new JobQuery(null, null, null, 0, 10, false, "ada@")))
                .extracting(StoredJob::queue).containsExactly("q2", "q1");
        assertThat(jobs.list(new JobQuery(null, "q1", null, 0, 10, false, "ada@"))).hasSize(1);
        assertThat(jobs.list(new JobQuery(null, null, null, 0, 10, false, "50%_"))).hasSize(1);
        assertThat(jobs.list(new JobQuery(null, null, null, 0, 10, false, "%"))).hasSize(1);
        assertThat(jobs.list(new JobQuery(null, null, null, 0, 10, false, "a_a"))).isEmpty();
        assertThat(jobs.list(new JobQuery(null, null, null, 0, 10, false, "nobody"))).isEmpty();
        assertThat(jobs.list(new JobQuery(null, null, null, 0, 10, false, "'; DROP TABLE jobs; --"))).isEmpty();
        assertThat(jobs.list(new JobQuery(null, null, null, 0, 10, false, ""))).hasSize(3);
    }

    @Test
    void list_returns_at_most_a_thousand_jobs() {
        jobs.insert(IntStream.range(0, 1_005).mapToObj(i -> job("t")).toList(), NO_LEADER);

        assertThat(jobs.list(new JobQuery(null, null, null, 0, 5_000))).hasSize(1_000);
    }

    @Test
    void many_jobs_are_read_at_once_and_unknown_ids_are_left_out() {
        List<Long> ids = jobs.insert(IntStream.range(0, 1_200).mapToObj(i -> job("t" + i)).toList(), NO_LEADER);
        List<Long> asked = new ArrayList<>(ids);
        asked.add(ids.get(ids.size() - 1) + 1_000);

        List<StoredJob> found = jobs.get(asked);

        assertThat(found).extracting(StoredJob::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(found).filteredOn(j -> j.id() == ids.get(7)).singleElement()
                .satisfies(j -> assertThat(j.type()).isEqualTo("t7"));
    }

    @Test
    void get_of_an_unknown_id_is_empty() {
        assertThat(jobs.get(424_242)).isEmpty();
    }

    @Test
    void count_by_state_counts_every_state() {
        List<Long> ids = jobs.insert(List.of(job("a"), job("b"), job("c")), NO_LEADER);
        jobs.apply(List.of(StateChange.of(ids.get(0), Set.of(PENDING), DEAD).build()), NO_LEADER);

        Map<JobState, Long> counts = jobs.countByState();

        assertThat(counts).containsEntry(PENDING, 2L).containsEntry(DEAD, 1L).containsEntry(RUNNING, 0L);
        assertThat(counts).containsOnlyKeys(JobState.values());
    }

    // ---- leader lease

    @Test
    void the_first_holder_leads_with_epoch_one() {
        assertThat(lease.current()).isEmpty();

        assertThat(lease.tryAcquire("m1", Duration.ofMinutes(1))).hasValue(1);
        assertThat(lease.current()).contains(new LeaderLease.Holder("m1", 1));
    }

    @Test
    void the_holding_says_who_leads_and_how_long_its_lease_still_runs_by_the_database_clock() {
        assertThat(lease.holding()).isEmpty();
        long epoch = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        LeaderLease.Holding h = lease.holding().orElseThrow();

        assertThat(h.holder()).isEqualTo("m1");
        assertThat(h.epoch()).isEqualTo(epoch);
        assertThat(h.expiresInMs()).isBetween(50_000L, 60_000L);
    }

    @Test
    void a_second_holder_cannot_take_a_valid_lease() {
        lease.tryAcquire("m1", Duration.ofMinutes(1));

        assertThat(lease.tryAcquire("m2", Duration.ofMinutes(1))).isEmpty();
        assertThat(lease.current()).contains(new LeaderLease.Holder("m1", 1));
    }

    @Test
    void the_holder_renews_its_lease_and_keeps_its_epoch() {
        long epoch = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        assertThat(lease.renew("m1", epoch, Duration.ofMinutes(1))).isTrue();
        assertThat(lease.renew("m2", epoch, Duration.ofMinutes(1))).isFalse();
        assertThat(lease.renew("m1", epoch + 1, Duration.ofMinutes(1))).isFalse();
        assertThat(lease.current()).contains(new LeaderLease.Holder("m1", epoch));
    }

    @Test
    void a_re_acquire_by_the_same_holder_bumps_the_epoch() {
        long first = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        long second = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        assertThat(second).isGreaterThan(first);
        assertThat(lease.renew("m1", first, Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void after_a_release_another_holder_takes_the_lease_with_a_higher_epoch() {
        long first = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();
        lease.release("m1", first);
        assertThat(lease.current()).isEmpty();

        OptionalLong second = lease.tryAcquire("m2", Duration.ofMinutes(1));

        assertThat(second).isPresent();
        assertThat(second.getAsLong()).isGreaterThan(first);
        assertThat(lease.renew("m1", first, Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void a_release_with_a_stale_epoch_does_not_end_the_current_lease() {
        long first = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();
        long second = lease.tryAcquire("m1", Duration.ofMinutes(1)).orElseThrow();

        lease.release("m1", first);

        assertThat(lease.current()).contains(new LeaderLease.Holder("m1", second));
    }

    @Test
    void the_node_roster_keeps_the_newest_epochs_list() {
        assertThat(store.roster().load()).isEmpty();

        store.roster().save(3, List.of("127.0.0.2:50052", "127.0.0.3:50052"));
        store.roster().save(2, List.of("127.0.0.9:1")); // a deposed leader's late write

        assertThat(store.roster().load()).containsExactly("127.0.0.2:50052", "127.0.0.3:50052");
        store.roster().save(4, List.of());
        assertThat(store.roster().load()).isEmpty();
    }

    @Test
    void a_token_is_stored_as_its_digest_listed_by_name_and_revoked_once() throws Exception {
        String digest = "ab".repeat(32);
        io.earthling.store.StoredToken ci = new io.earthling.store.StoredToken("ci", digest, List.of("submit", "read"),
                1000, 5000, 0);
        assertThat(store.tokens().create(ci)).isTrue();
        assertThat(store.tokens().create(new io.earthling.store.StoredToken("ci", "cd".repeat(32), List.of("admin"),
                2000, 0, 0))).as("the name is taken").isFalse();

        assertThat(store.tokens().all()).containsExactly(ci);
        assertThat(store.tokens().revoke("ci", 3000)).isTrue();
        assertThat(store.tokens().revoke("ci", 4000)).as("revoked already").isFalse();
        assertThat(store.tokens().revoke("nobody", 4000)).isFalse();
        assertThat(store.tokens().all()).singleElement().satisfies(t -> {
            assertThat(t.revokedMs()).isEqualTo(3000);
            assertThat(t.activeAt(3500)).isFalse();
        });

        io.earthling.store.StoredToken again = new io.earthling.store.StoredToken("ci", "ef".repeat(32),
                List.of("read"), 6000, 0, 0);
        assertThat(store.tokens().create(again)).as("a revoked name can be used again").isTrue();
        assertThat(store.tokens().all()).containsExactly(again);
    }

    @Test
    void after_the_lease_expires_another_holder_takes_it_with_a_higher_epoch() {
        long first = lease.tryAcquire("m1", Duration.ofMillis(300)).orElseThrow();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> lease.current().isEmpty());
        OptionalLong second = lease.tryAcquire("m2", Duration.ofMinutes(1));

        assertThat(second).isPresent();
        assertThat(second.getAsLong()).isGreaterThan(first);
        assertThat(lease.renew("m1", first, Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void an_expired_lease_nobody_took_can_still_be_renewed() {
        long epoch = lease.tryAcquire("m1", Duration.ofMillis(200)).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> lease.current().isEmpty());

        assertThat(lease.renew("m1", epoch, Duration.ofMinutes(1))).isTrue();
        assertThat(lease.current()).contains(new LeaderLease.Holder("m1", epoch));
    }

    // ---- store

    @Test
    void describe_names_the_database_and_its_url() {
        assertThat(store.describe()).matches("\\w+ \\d+\\.\\d+.* at jdbc:.*");
    }

    @Test
    void opening_an_already_migrated_database_again_works() {
        long id = insertOne("a");
        store.close();

        store = Store.open(settings);

        assertThat(store.jobs().get(id)).isPresent();
    }

    @Test
    void waiting_for_external_inserts_can_be_closed() throws Exception {
        ExternalInserts listener = store.listenForExternalInserts();
        listener.close();

        assertThat(listener.await(Duration.ofMillis(10))).isFalse();
    }
}

package io.earthling.manager.internal.retention;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobState;
import io.earthling.core.Retention;
import io.earthling.manager.internal.LeaderFixture;
import io.earthling.store.AttemptLog;
import io.earthling.store.FinishedJob;
import io.earthling.store.StateChange;
import io.earthling.store.Store;
import io.earthling.store.StoredJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetentionSweepTest {
    private static final long HOUR = 3_600_000L;
    private final LeaderFixture leader = new LeaderFixture("retention", Clock.systemUTC());
    private final Store store = leader.store;
    /** Two days after the jobs were created: the store stamps created_at with the real time. */
    private final long now = System.currentTimeMillis() + 48 * HOUR;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
    private final Retention policy = new Retention(Map.of(SUCCEEDED, 24 * HOUR, DEAD, 14 * 24 * HOUR),
            Map.of("audit", Map.of(SUCCEEDED, 30 * 24 * HOUR)));

    @AfterEach
    void close() {
        leader.close();
    }

    @Test
    void a_job_past_its_age_goes_with_its_events_and_logs_and_the_others_stay() {
        long old = finished(SUCCEEDED, "default", now - 25 * HOUR);
        long young = finished(SUCCEEDED, "default", now - 23 * HOUR);
        long audited = finished(SUCCEEDED, "audit", now - 25 * HOUR);
        long dead = finished(DEAD, "default", now - 25 * HOUR);
        long cancelled = finished(CANCELLED, "default", now - 1_000 * HOUR);
        long pending = leader.insert(1);
        store.logs().keep(List.of(new AttemptLog(old, 1, 1_000, "a log")));

        long deleted = new RetentionSweep(store.jobs(), leader.writer, clock, policy).runToEnd();

        assertThat(deleted).isEqualTo(1);
        assertThat(ids(List.of(old, young, audited, dead, cancelled, pending)))
                .containsExactlyInAnyOrder(young, audited, dead, cancelled, pending);
        assertThat(store.jobs().events(old)).isEmpty();
        assertThat(store.logs().of(old)).isEmpty();
    }

    @Test
    void a_split_goes_with_its_children_once_the_parent_expires_and_not_while_a_child_runs() throws Exception {
        long parent = finished(SUCCEEDED, "default", now - 25 * HOUR);
        long child = finished(SUCCEEDED, "default", now - 26 * HOUR);
        long grandchild = finished(DEAD, "default", now - 26 * HOUR);
        long busy = finished(SUCCEEDED, "default", now - 25 * HOUR);
        long running = leader.insert(1);
        run(running);
        long waiting = leader.insert(1);
        long waitedFor = finished(SUCCEEDED, "default", now - 100 * HOUR);
        sql("UPDATE jobs SET parent_id = " + parent + " WHERE id = " + child);
        sql("UPDATE jobs SET parent_id = " + child + " WHERE id = " + grandchild);
        sql("UPDATE jobs SET parent_id = " + busy + " WHERE id = " + running);
        sql("UPDATE jobs SET state = 'WAITING' WHERE id = " + waiting);
        sql("UPDATE jobs SET parent_id = " + waiting + " WHERE id = " + waitedFor);

        long deleted = new RetentionSweep(store.jobs(), leader.writer, clock, policy).runToEnd();

        assertThat(deleted).as("the parent, its child and grandchild").isEqualTo(3);
        assertThat(ids(List.of(parent, child, grandchild, busy, running, waiting, waitedFor)))
                .as("a tree with a running job stays whole; a child is never judged alone")
                .containsExactlyInAnyOrder(busy, running, waiting, waitedFor);
    }

    @Test
    void a_page_ends_the_state_at_the_first_job_created_too_recently() {
        List<FinishedJob> rows = List.of(new FinishedJob(1, SUCCEEDED, "default", 0, now - 30 * HOUR, now - 30 * HOUR),
                new FinishedJob(2, SUCCEEDED, "default", 1, now - 30 * HOUR, now - 30 * HOUR),
                new FinishedJob(3, SUCCEEDED, "default", 0, now - 30 * HOUR, now - HOUR),
                new FinishedJob(4, SUCCEEDED, "default", 0, now - HOUR, now - HOUR),
                new FinishedJob(5, SUCCEEDED, "default", 0, now - 30 * HOUR, now - 30 * HOUR));

        RetentionSweep.Page page = RetentionSweep.judge(rows, policy, now, 0, 10);

        assertThat(page.expired()).as("not the child, not the one finished an hour ago").containsExactly(1L);
        assertThat(page.next()).isEqualTo(3);
        assertThat(page.done()).isTrue();
        assertThat(RetentionSweep.judge(rows.subList(0, 3), policy, now, 0, 3).done()).as("a full page: more may follow")
                .isFalse();
    }

    @Test
    void a_pass_walks_past_a_full_page() {
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < RetentionSweep.PAGE + 7; i++) {
            ids.add(finished(DEAD, "default", now - 2 * HOUR));
        }

        long deleted = new RetentionSweep(store.jobs(), leader.writer, clock,
                new Retention(Map.of(DEAD, HOUR), Map.of())).runToEnd();

        assertThat(deleted).isEqualTo(RetentionSweep.PAGE + 7);
        assertThat(ids(ids)).isEmpty();
    }

    private long finished(JobState state, String queue, long finishedAtMs) {
        long id = store.jobs().insert(List.of(new io.earthling.store.NewJob(queue, "noop", "{}", 0, 1, 0, 0, null, null)),
                leader.epoch).get(0);
        if (state == SUCCEEDED) {
            run(id);
        }
        store.jobs().apply(List.of(StateChange.of(id, EnumSet.of(state == SUCCEEDED ? RUNNING : PENDING), state).finishedAt(finishedAtMs)
                .event(state.name(), null).build()), leader.epoch);
        return id;
    }

    private void run(long id) {
        store.jobs().apply(List.of(StateChange.of(id, EnumSet.of(PENDING), ASSIGNED).node("n1").build(),
                StateChange.of(id, EnumSet.of(ASSIGNED), RUNNING).attempts(1).build()), leader.epoch);
    }

    private List<Long> ids(List<Long> of) {
        return store.jobs().get(of).stream().map(StoredJob::id).toList();
    }

    private void sql(String statement) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:retention");
             java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}

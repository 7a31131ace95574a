package io.earthling.store.internal;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.GATHERING;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static io.earthling.api.JobState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.Split;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.SplitPlan;
import io.earthling.store.SplitStore;
import io.earthling.store.StateChange;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import io.earthling.store.StoredJob;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What the split tables must do, run against each database by a subclass. Each test gets a fresh database. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class SplitStoreContract {
    static final long NO_LEADER = 0;

    StoreSettings settings;
    Store store;
    JobStore jobs;
    SplitStore splits;

    abstract StoreSettings newDatabase() throws Exception;

    void dropDatabase(StoreSettings settings) throws Exception {
    }

    @BeforeEach
    void open() throws Exception {
        settings = newDatabase();
        store = Store.open(settings);
        jobs = store.jobs();
        splits = store.splits();
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        dropDatabase(settings);
    }

    long running(String queue) {
        long id = jobs.insert(List.of(new NewJob(queue, "split", "{\"n\":1}", 0, 3, 0, 0, null, null)), NO_LEADER).get(0);
        move(id, EnumSet.of(PENDING), ASSIGNED);
        move(id, EnumSet.of(ASSIGNED), RUNNING);
        return id;
    }

    boolean park(long id, Split split) {
        return jobs.apply(List.of(StateChange.of(id, EnumSet.of(RUNNING), WAITING)
                .split(new SplitPlan(split, get(id).queue())).build()), NO_LEADER)[0];
    }

    boolean move(long id, EnumSet<JobState> from, JobState to) {
        return jobs.apply(List.of(StateChange.of(id, from, to).build()), NO_LEADER)[0];
    }

    void finish(long id, JobState to, String result) {
        move(id, EnumSet.of(PENDING), ASSIGNED);
        jobs.apply(List.of(StateChange.of(id, EnumSet.of(ASSIGNED), to).via(RUNNING).result(result)
                .error(to == SUCCEEDED ? null : "boom").build()), NO_LEADER);
    }

    StoredJob get(long id) {
        return jobs.get(id).orElseThrow();
    }

    List<SplitStore.Child> allChildren(long parent) {
        List<SplitStore.Child> out = new ArrayList<>();
        long after = 0;
        List<SplitStore.Child> page;
        do {
            page = splits.children(parent, after, 1000);
            out.addAll(page);
            after = page.isEmpty() ? after : page.get(page.size() - 1).id();
        } while (page.size() == 1000);
        return out;
    }

    @Test
    void a_split_parks_its_parent_and_stores_its_children_in_the_same_write_for_the_sweep_to_pick_up() {
        long parent = running("mail");
        Split split = new Split(List.of(JobSpec.of("a", "{\"x\":1}"), JobSpec.of("b", "{}").withQueue("other")),
                "part", 3, "{\"seed\":7}", "merge", null);
        assertThat(splits.anyInProgress()).isFalse();

        assertThat(park(parent, split)).isTrue();

        assertThat(splits.anyInProgress()).isTrue();
        assertThat(get(parent).state()).isEqualTo(WAITING);
        List<StoredJob> claimed = jobs.claimExternal(100, NO_LEADER);
        assertThat(claimed).extracting(StoredJob::type).containsExactly("a", "b", "part", "part", "part");
        assertThat(claimed).extracting(StoredJob::queue).containsExactly("mail", "other", "mail", "mail", "mail");
        assertThat(claimed.get(3).payload()).isEqualTo("{\"seed\":7,\"index\":1,\"count\":3}");
        assertThat(splits.ready(10)).isEmpty();
    }

    @Test
    void a_jobs_depth_counts_the_split_parents_above_it_up_to_one_past_the_limit() {
        long parent = running("mail");
        park(parent, Split.indexed("part", 1, "{}", "merge"));
        long child = jobs.claimExternal(100, NO_LEADER).get(0).id();

        assertThat(splits.depth(parent, 16)).isZero();
        assertThat(splits.depth(child, 16)).isEqualTo(1);
        assertThat(splits.depth(child, 0)).as("counted at most limit + 1").isEqualTo(1);
        assertThat(splits.depth(987_654_321L, 16)).isZero();
    }

    @Test
    void a_split_reported_for_a_job_no_longer_running_stores_no_children() {
        long parent = running("default");
        move(parent, EnumSet.of(RUNNING), PENDING);

        assertThat(park(parent, Split.indexed("part", 5, "{}", "merge"))).isFalse();

        assertThat(jobs.claimExternal(100, NO_LEADER)).isEmpty();
        assertThat(get(parent).state()).isEqualTo(PENDING);
    }

    @Test
    void the_parent_is_ready_to_gather_once_its_last_child_is_final_and_gathers_once() {
        long parent = running("default");
        park(parent, Split.indexed("part", 3, "{}", "merge"));
        List<SplitStore.Child> children = allChildren(parent);
        finish(children.get(0).id(), SUCCEEDED, "{\"n\":0}");
        finish(children.get(2).id(), SUCCEEDED, "{\"n\":2}");
        assertThat(splits.ready(10)).isEmpty();

        finish(children.get(1).id(), SUCCEEDED, "{\"n\":1}");

        assertThat(splits.ready(10)).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(parent);
            assertThat(p.state()).isEqualTo(WAITING);
            assertThat(p.gatherType()).isEqualTo("merge");
            assertThat(p.childrenLeft()).isZero();
        });
        assertThat(allChildren(parent)).extracting(SplitStore.Child::result)
                .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        NewJob gather = new NewJob("default", "merge", "{}", 0, 3, 0, 0, null, null);
        assertThat(splits.startGather(parent, gather, NO_LEADER)).isTrue();
        assertThat(splits.startGather(parent, gather, NO_LEADER)).as("a gather starts once").isFalse();
        assertThat(get(parent).state()).isEqualTo(GATHERING);
        assertThat(allChildren(parent)).as("the gather job is no child").hasSize(3);
        long gatherId = splits.gatherJob(parent).orElseThrow().id();
        assertThat(jobs.claimExternal(100, NO_LEADER)).extracting(StoredJob::id).contains(gatherId);
        assertThat(splits.ready(10)).isEmpty();

        finish(gatherId, SUCCEEDED, "{\"total\":3}");

        assertThat(splits.ready(10)).singleElement().satisfies(p -> assertThat(p.state()).isEqualTo(GATHERING));
        assertThat(splits.gatherJob(parent).orElseThrow().result()).isEqualTo("{\"total\":3}");
    }

    @Test
    void a_dead_child_makes_a_fail_fast_parent_ready_at_once_and_a_gather_with_errors_parent_waits_for_all() {
        long failFast = running("default");
        long withErrors = running("default");
        park(failFast, Split.indexed("part", 3, "{}", "merge"));
        park(withErrors, Split.indexed("part", 2, "{}", "merge").onChildFailure(Split.OnChildFailure.GATHER_WITH_ERRORS));

        finish(allChildren(failFast).get(1).id(), DEAD, null);
        finish(allChildren(withErrors).get(0).id(), DEAD, null);

        assertThat(splits.ready(10)).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(failFast);
            assertThat(p.childrenFailed()).isEqualTo(1);
        });
        assertThat(splits.firstFailed(failFast).orElseThrow().error()).isEqualTo("boom");
        assertThat(splits.unfinished(failFast, 0, 10)).hasSize(2);
        finish(allChildren(withErrors).get(1).id(), SUCCEEDED, "{}");
        assertThat(splits.ready(10)).extracting(SplitStore.Parent::id).containsExactly(failFast, withErrors);
    }

    @Test
    void a_parent_that_splits_again_lets_go_of_its_earlier_children() {
        long parent = running("default");
        park(parent, Split.indexed("part", 3, "{}", "merge"));
        finish(allChildren(parent).get(0).id(), DEAD, null);
        move(parent, EnumSet.of(WAITING), DEAD);
        move(parent, EnumSet.of(DEAD), PENDING);
        move(parent, EnumSet.of(PENDING), ASSIGNED);
        move(parent, EnumSet.of(ASSIGNED), RUNNING);

        park(parent, Split.indexed("part", 2, "{}", "merge"));

        assertThat(allChildren(parent)).hasSize(2);
        allChildren(parent).forEach(c -> finish(c.id(), SUCCEEDED, "{}"));
        assertThat(splits.ready(10)).singleElement().satisfies(p -> {
            assertThat(p.childrenLeft()).isZero();
            assertThat(p.childrenFailed()).isZero();
        });
    }

    @Test
    void a_retried_dead_child_counts_as_unfinished_again() {
        long parent = running("default");
        park(parent, Split.indexed("part", 1, "{}", "merge").onChildFailure(Split.OnChildFailure.GATHER_WITH_ERRORS));
        long child = allChildren(parent).get(0).id();
        finish(child, DEAD, null);
        assertThat(splits.ready(10)).hasSize(1);

        move(child, EnumSet.of(DEAD), PENDING);

        assertThat(splits.ready(10)).isEmpty();
        finish(child, SUCCEEDED, "{}");
        assertThat(splits.ready(10)).singleElement().satisfies(p -> assertThat(p.childrenFailed()).isZero());
    }

    @Test
    void a_split_into_ten_thousand_children_is_stored_and_counted_down_in_batches() {
        long parent = running("default");

        park(parent, Split.indexed("part", 10_000, "{}", "merge"));

        List<SplitStore.Child> children = allChildren(parent);
        assertThat(children).hasSize(10_000);
        for (int from = 0; from < children.size(); from += 2_500) {
            List<SplitStore.Child> part = children.subList(from, from + 2_500);
            jobs.apply(part.stream().map(c -> StateChange.of(c.id(), EnumSet.of(PENDING), ASSIGNED).build()).toList(),
                    NO_LEADER);
            jobs.apply(part.stream().map(c -> StateChange.of(c.id(), EnumSet.of(ASSIGNED), SUCCEEDED).via(RUNNING)
                    .result("1").build()).toList(), NO_LEADER);
        }
        assertThat(splits.ready(10)).singleElement().satisfies(p -> assertThat(p.childrenLeft()).isZero());
    }
}

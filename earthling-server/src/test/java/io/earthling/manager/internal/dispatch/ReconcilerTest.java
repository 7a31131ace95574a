package io.earthling.manager.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.core.ReadyJob;
import io.earthling.manager.internal.dispatch.Reconciler.Verdict;
import io.earthling.protocol.manager.RunningJob;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Takeover decisions: what a registering node's reports mean, and when unreported jobs run again. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReconcilerTest {
    private final Reconciler reconciler = new Reconciler(5_000);

    @Test
    void a_report_classifies_as_the_table_says() {
        ReadyJob pending = job(0); // next attempt 1
        record Row(String node, int attempt, InFlight inFlight, ReadyJob waiting, Verdict verdict) {
        }
        InFlight onA = new InFlight(job(0), 1, "a", false, true);
        InFlight loadedForA = new InFlight(job(0), 1, "a", true, false);
        for (Row r : List.of(
                new Row("a", 1, onA, null, Verdict.CONFIRM),
                new Row("a", 2, onA, null, Verdict.STOP),               // another attempt
                new Row("b", 1, onA, null, Verdict.STOP),               // given to a, confirmed there
                new Row("b", 1, loadedForA, null, Verdict.CONFIRM),     // loaded, unconfirmed: whoever reports it
                new Row("a", 1, null, pending, Verdict.ADOPT),          // delivered before ASSIGNED was stored
                new Row("a", 2, null, pending, Verdict.STOP),           // not the attempt that waits here
                new Row("a", 1, null, null, Verdict.STOP))) {           // final here, or unknown
            RunningJob report = RunningJob.newBuilder().setJobId(7).setAttempt(r.attempt()).build();
            assertThat(Reconciler.classify(r.node(), report, r.inFlight(), r.waiting())).as(r.toString())
                    .isEqualTo(r.verdict());
        }
    }

    @Test
    void jobs_nobody_reported_within_the_grace_run_again_and_a_pause_moves_the_grace_on() {
        InFlight f = new InFlight(job(0), 1, "a", true, true);
        reconciler.loaded(List.of(f), 1_000);
        Map<Long, InFlight> inFlight = new HashMap<>(Map.of(7L, f));

        assertThat(reconciler.expired(inFlight, 5_999)).isEmpty();
        reconciler.paused(inFlight, 3_000);
        assertThat(reconciler.expired(inFlight, 6_000)).as("the pause is not the nodes' silence").isEmpty();
        assertThat(reconciler.expired(inFlight, 9_000)).containsExactly(7L);
        f.confirmed = true;
        assertThat(reconciler.expired(inFlight, 99_000)).as("reported").isEmpty();
    }

    @Test
    void pending_jobs_found_at_takeover_are_held_until_the_previous_leaders_nodes_registered_again() {
        ReadyJob a = new ReadyJob(1, "default", "noop", new byte[0], 0, 0, 0, 3, 0, null, 1);
        ReadyJob b = new ReadyJob(2, "default", "noop", new byte[0], 0, 0, 0, 3, 0, null, 1);
        assertThat(reconciler.hold(List.of(a, b), List.of("n1", "n2"), 1_000)).isTrue();

        assertThat(reconciler.takeHeld(List.of(1L))).containsOnlyKeys(1L); // n1 reports job 1: adopted there
        assertThat(reconciler.registered("n1")).as("n2 is still awaited").isEmpty();
        assertThat(reconciler.registered("n2")).extracting(ReadyJob::id).containsExactly(2L);
        assertThat(reconciler.heldCount()).isZero();
        assertThat(reconciler.holdAgain(b)).as("the hold is over").isFalse();
    }

    @Test
    void a_held_delayed_job_run_now_is_released_due_at_that_time() {
        ReadyJob later = new ReadyJob(1, "default", "noop", new byte[0], 0, 99_000, 0, 3, 0, null, 1);
        reconciler.hold(List.of(later), List.of("n1"), 1_000);

        assertThat(reconciler.runNow(1, 2_000)).isTrue();
        assertThat(reconciler.runNow(2, 2_000)).as("not held").isFalse();
        assertThat(reconciler.registered("n1")).extracting(ReadyJob::runAtMs).containsExactly(2_000L);
    }

    @Test
    void the_hold_ends_after_the_grace_if_a_node_never_comes_back_and_a_pause_moves_it_on() {
        ReadyJob a = new ReadyJob(1, "default", "noop", new byte[0], 0, 0, 0, 3, 0, null, 1);
        reconciler.hold(List.of(a), List.of("gone"), 1_000);

        assertThat(reconciler.holdExpired(5_999)).isEmpty();
        reconciler.paused(new HashMap<>(), 1_000);
        assertThat(reconciler.holdExpired(6_500)).isEmpty();
        assertThat(reconciler.holdExpired(7_000)).extracting(ReadyJob::id).containsExactly(1L);
    }

    @Test
    void with_nobody_to_wait_for_nothing_is_held() {
        assertThat(reconciler.hold(List.of(job(0)), List.of(), 0)).isFalse();
        assertThat(reconciler.heldCount()).isZero();
    }

    private static ReadyJob job(int attempts) {
        return new ReadyJob(7, "default", "noop", new byte[0], 0, 0, attempts, 3, 0, null, 1);
    }
}

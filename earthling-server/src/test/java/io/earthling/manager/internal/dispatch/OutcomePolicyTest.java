package io.earthling.manager.internal.dispatch;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static io.earthling.api.JobState.SUCCEEDED;
import static io.earthling.api.JobState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.earthling.api.JobState;
import io.earthling.core.ReadyJob;
import io.earthling.manager.internal.dispatch.OutcomePolicy.Decision;
import io.earthling.manager.internal.dispatch.OutcomePolicy.Kind;
import io.earthling.protocol.manager.JobOutcome.Status;
import io.earthling.protocol.manager.JobOutcome;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The outcome table: what each outcome does to a job, by attempt budget and by what the leader had seen. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutcomePolicyTest {
    private static final long NOW = 1_000_000;
    private final OutcomePolicy policy = new OutcomePolicy(attempt -> attempt * 1000L);

    static Stream<Arguments> table() {
        return Stream.of(
                // status, retryable, worker lost, attempt, max attempts, shown running -> kind, to, run at
                Arguments.of(Status.SUCCEEDED, false, false, 1, 3, true, Kind.SUCCEEDED, SUCCEEDED, 0L),
                Arguments.of(Status.SUCCEEDED, false, false, 3, 3, false, Kind.SUCCEEDED, SUCCEEDED, 0L),
                Arguments.of(Status.CANCELLED, false, false, 1, 3, true, Kind.CANCELLED, CANCELLED, 0L),
                Arguments.of(Status.FAILED, true, false, 1, 3, true, Kind.RETRY, PENDING, NOW + 1000),
                Arguments.of(Status.FAILED, true, false, 2, 3, true, Kind.RETRY, PENDING, NOW + 2000),
                Arguments.of(Status.FAILED, true, false, 3, 3, true, Kind.DEAD, DEAD, 0L),
                Arguments.of(Status.FAILED, false, false, 1, 3, true, Kind.DEAD, DEAD, 0L),
                // a worker that died under the job keeps the job's place: due at once, no backoff
                Arguments.of(Status.FAILED, true, true, 1, 3, false, Kind.RETRY, PENDING, 500L),
                Arguments.of(Status.FAILED, true, true, 3, 3, true, Kind.DEAD, DEAD, 0L));
    }

    @ParameterizedTest(name = "{0} retryable={1} workerLost={2} attempt {3} of {4} -> {6}")
    @MethodSource("table")
    void each_outcome_moves_the_job_as_the_table_says(Status status, boolean retryable, boolean workerLost,
                                                       int attempt, int max, boolean shownRunning, Kind kind,
                                                       JobState to, long runAt) {
        InFlight f = flight(attempt, max, shownRunning);
        JobOutcome o = JobOutcome.newBuilder().setJobId(7).setAttempt(attempt).setStatus(status).setRetryable(retryable)
                .setWorkerLost(workerLost).setError("boom").setStartedAtMs(NOW - 10).setFinishedAtMs(NOW - 1).build();

        Decision d = policy.outcome("n1", f, o, NOW);

        assertThat(d.kind()).isEqualTo(kind);
        assertThat(d.change().to()).isEqualTo(to);
        assertThat(d.change().from()).isEqualTo(shownRunning ? Set.of(RUNNING) : EnumSet.of(ASSIGNED, RUNNING));
        assertThat(d.change().startedAtMs()).as("the node's start time").isEqualTo(NOW - 10);
        if (kind == Kind.RETRY) {
            assertThat(d.change().runAtMs()).isEqualTo(runAt);
            assertThat(d.again().attempts()).as("attempts counted").isEqualTo(attempt);
            assertThat(d.again().runAtMs()).isEqualTo(runAt);
        } else {
            assertThat(d.again()).isNull();
        }
    }

    @Test
    void a_job_not_yet_shown_running_passes_through_running_with_its_attempt_and_node() {
        Decision d = policy.outcome("n1", flight(2, 3, false), succeeded(2), NOW);

        assertThat(d.change().via()).isEqualTo(RUNNING);
        assertThat(d.change().attempts()).isEqualTo(2);
        assertThat(d.change().node()).isEqualTo("n1");
    }

    @Test
    void an_outcome_from_another_node_another_attempt_or_for_no_job_in_flight_is_stale() {
        assertThat(policy.outcome("n2", flight(1, 3, true), succeeded(1), NOW).kind()).isEqualTo(Kind.STALE);
        assertThat(policy.outcome("n1", flight(2, 3, true), succeeded(1), NOW).kind()).isEqualTo(Kind.STALE);
        assertThat(policy.outcome("n1", null, succeeded(1), NOW).kind()).isEqualTo(Kind.STALE);
        assertThat(policy.outcome("n1", null, succeeded(1), NOW).change()).as("nothing written").isNull();
    }

    @Test
    void a_result_that_is_a_split_parks_the_job_waiting_for_its_children() {
        String split = "{\"earthling.split\":{\"children\":[{\"type\":\"noop\",\"payload\":{}}],\"gather\":\"noop\"}}";
        JobOutcome o = succeeded(1).toBuilder().setResult(ByteString.copyFromUtf8(split)).setSplit(true).build();

        Decision d = policy.outcome("n1", flight(1, 3, true), o, NOW);

        assertThat(d.kind()).isEqualTo(Kind.SPLIT);
        assertThat(d.change().to()).isEqualTo(WAITING);
        assertThat(d.isFinal()).isFalse();
    }

    @Test
    void a_result_that_only_reads_like_a_split_is_a_result() {
        String text = "{\"earthling.split\":{\"children\":[{\"type\":\"noop\",\"payload\":{}}],\"gather\":\"noop\"}}";
        JobOutcome o = succeeded(1).toBuilder().setResult(ByteString.copyFromUtf8(text)).build();

        Decision d = policy.outcome("n1", flight(1, 3, true), o, NOW);

        assertThat(d.kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(d.change().result()).isEqualTo(text);
    }

    @Test
    void a_marked_split_that_does_not_parse_ends_the_job_dead() {
        JobOutcome o = succeeded(1).toBuilder().setResult(ByteString.copyFromUtf8("{\"x\":1}")).setSplit(true).build();

        Decision d = policy.outcome("n1", flight(1, 3, true), o, NOW);

        assertThat(d.kind()).isEqualTo(Kind.DEAD);
        assertThat(d.change().error()).contains("malformed split");
    }

    @Test
    void a_lost_node_costs_the_attempt_it_was_given_so_the_next_delivery_carries_a_new_number() {
        Decision started = policy.lost(flight(1, 3, true), "NODE_LOST", "n1 went offline", NOW);
        Decision unconfirmed = policy.lost(flight(1, 3, false), "NODE_LOST", "n1 went offline", NOW);

        assertThat(started.kind()).isEqualTo(Kind.RETRY);
        assertThat(started.again().nextAttempt()).isEqualTo(2);
        assertThat(unconfirmed.kind()).isEqualTo(Kind.RETRY);
        assertThat(unconfirmed.again().nextAttempt()).as("even if its start was never seen").isEqualTo(2);
        assertThat(unconfirmed.change().attempts()).isEqualTo(1);
    }

    @Test
    void a_lost_node_during_a_started_last_attempt_ends_the_job_dead_via_running() {
        Decision d = policy.lost(flight(3, 3, true), "NODE_LOST", "n1 went offline", NOW);

        assertThat(d.kind()).isEqualTo(Kind.DEAD);
        assertThat(d.change().via()).isEqualTo(RUNNING);
        assertThat(d.change().error()).isEqualTo("n1 went offline during its last attempt (3 of 3)");
    }

    @Test
    void a_last_attempt_whose_start_was_never_confirmed_runs_again_rather_than_end_dead_without_running() {
        Decision d = policy.lost(flight(3, 3, false), "NODE_LOST", "n1 went offline", NOW);

        assertThat(d.kind()).isEqualTo(Kind.RETRY);
        assertThat(d.again().nextAttempt()).isEqualTo(4);
    }

    private static JobOutcome succeeded(int attempt) {
        return JobOutcome.newBuilder().setJobId(7).setAttempt(attempt).setStatus(Status.SUCCEEDED).build();
    }

    private static InFlight flight(int attempt, int max, boolean running) {
        ReadyJob job = new ReadyJob(7, "default", "noop", new byte[0], 0, 500, attempt - 1, max, 0, null, 1);
        return new InFlight(job, attempt, "n1", running, true);
    }
}

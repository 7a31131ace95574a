package io.earthling.manager.internal.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.manager.internal.api.JobsApi;
import io.earthling.manager.internal.api.NotLeader;
import io.earthling.manager.internal.rpc.CoordinatorService;
import io.earthling.manager.internal.rpc.JobsService;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.protocol.jobs.SubmitResponse;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.earthling.protocol.manager.ResultAck;
import io.earthling.protocol.manager.ResultBatch;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A manager that does not lead refuses leader-only calls as UNAVAILABLE and says whom to ask. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NotLeaderTest {
    private final NotLeader notLeader = new NotLeader("10.0.0.3:50051");
    private final CoordinatorService coordinator = new CoordinatorService(() -> null, () -> 0L, 1_000, 2_500,
            t -> null).refuseWith(notLeader);

    @Test
    void a_standby_answers_a_registration_with_the_leader_the_lease_row_names() {
        notLeader.leaderIs("10.0.0.2:50051");

        RegisterResponse r = NotLeaderTest.<RegisterResponse>answer(out ->
                coordinator.register(RegisterRequest.getDefaultInstance(), out)).join();

        assertThat(r.getLeader()).isFalse();
        assertThat(r.getLeaderAddress()).isEqualTo("10.0.0.2:50051");
        assertThat(r.getMessage()).contains("(10.0.0.3:50051) is not the leader", "the leader is 10.0.0.2:50051");
    }

    @Test
    void heartbeats_and_result_reports_to_a_standby_are_refused_as_unavailable_naming_the_leader() {
        notLeader.leaderIs("10.0.0.2:50051");

        CompletableFuture<HeartbeatResponse> beat = NotLeaderTest.<HeartbeatResponse>answer(out ->
                coordinator.heartbeat(HeartbeatRequest.getDefaultInstance(), out));
        CompletableFuture<ResultAck> report = NotLeaderTest.<ResultAck>answer(out ->
                coordinator.reportResults(ResultBatch.getDefaultInstance(), out));

        assertRefused(beat, "the leader is 10.0.0.2:50051");
        assertRefused(report, "the leader is 10.0.0.2:50051");
    }

    @Test
    void a_submit_to_a_standby_is_refused_as_unavailable_so_that_clients_retry() {
        JobsService jobs = new JobsService(new JobsApi(() -> null, null, null, null, 10, 1_000, Clock.systemUTC(), null,
                () -> null).refuseWith(notLeader));

        CompletableFuture<SubmitResponse> submit = NotLeaderTest.<SubmitResponse>answer(out -> jobs.submit(SubmitRequest.getDefaultInstance(), out));

        assertRefused(submit, "no leader is known yet");
    }

    @Test
    void a_lease_row_that_names_this_manager_itself_names_no_other_leader() {
        notLeader.leaderIs("10.0.0.3:50051"); // read just before it stepped down
        assertThat(notLeader.leader()).isNull();
        assertThat(notLeader.message()).contains("no leader is known yet");

        notLeader.leaderIs(null);
        assertThat(notLeader.leader()).isNull();
    }

    @Test
    void a_leader_steps_down_when_its_next_renewal_could_come_after_the_lease_expired() {
        assertThat(LeaseRenewer.mustStepDown(0, 3_333, 10_000)).isFalse();
        assertThat(LeaseRenewer.mustStepDown(6_000, 3_333, 10_000)).isFalse();
        assertThat(LeaseRenewer.mustStepDown(6_667, 3_333, 10_000)).isTrue();
        assertThat(LeaseRenewer.mustStepDown(30_000, 3_333, 10_000)).as("back from a long pause").isTrue();
    }

    private static void assertRefused(CompletableFuture<?> call, String says) {
        assertThat(call).isCompletedExceptionally();
        Throwable t = call.handle((v, e) -> e).join();
        assertThat(t).isInstanceOf(StatusRuntimeException.class);
        Status s = ((StatusRuntimeException) t).getStatus();
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(s.getDescription()).contains("(10.0.0.3:50051) is not the leader", says);
    }

    private static <T> CompletableFuture<T> answer(java.util.function.Consumer<StreamObserver<T>> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        call.accept(new StreamObserver<>() {
            @Override
            public void onNext(T v) {
                f.complete(v);
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        return f;
    }
}

package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.RegisterRequest;
import io.earthling.protocol.manager.RegisterResponse;
import io.earthling.protocol.manager.RunningJob;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ManagerLinkTest {

    /** A new leader may find such a job PENDING: reported as running there, it is adopted, not run again. */
    @Test
    void a_registration_reports_jobs_whose_outcome_the_leader_has_not_acknowledged() throws Exception {
        CompletableFuture<RegisterRequest> registered = new CompletableFuture<>();
        Server leader = GrpcServers.start("test leader", "127.0.0.1", 0, new CoordinatorGrpc.CoordinatorImplBase() {
            @Override
            public void register(RegisterRequest r, StreamObserver<RegisterResponse> out) {
                registered.complete(r);
                out.onNext(RegisterResponse.newBuilder().setLeader(false).build());
                out.onCompleted();
            }
        });
        ResultOutbox outbox = new ResultOutbox();
        outbox.add(JobOutcome.newBuilder().setJobId(42).setAttempt(2).setWorker("127.0.0.1:1000")
                .setStatus(JobOutcome.Status.SUCCEEDED).build());
        SlotPool pool = new SlotPool(List.of());
        RunningJobs running = new RunningJobs();
        Lifecycle lifecycle = new Lifecycle();
        ManagerLink link = new ManagerLink("127.0.0.1", 1, List.of("127.0.0.1:" + leader.getPort()), pool, running,
                outbox, new EarthlingService(pool, running, outbox, lifecycle, 1), List.of("noop"), 1_000, lifecycle);
        Thread thread = new Thread(link, "test-link");
        thread.start();
        try {
            assertThat(registered.get(10, TimeUnit.SECONDS).getRunningList()).containsExactly(RunningJob.newBuilder()
                    .setJobId(42).setAttempt(2).setWorker("127.0.0.1:1000").build());
        } finally {
            link.stop();
            thread.interrupt();
            leader.shutdownNow();
        }
    }
}

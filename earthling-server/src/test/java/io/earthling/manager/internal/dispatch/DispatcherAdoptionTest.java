package io.earthling.manager.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.api.JobState;
import io.earthling.manager.internal.LeaderFixture;
import io.earthling.protocol.manager.RunningJob;
import io.earthling.store.Store;
import io.earthling.store.StoredJob;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A leader delivers a job before its ASSIGNED is stored. If it dies in between, the next leader finds the job
 * PENDING while a node runs it: the node's registration must adopt it, not run it a second time.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DispatcherAdoptionTest {
    private final LeaderFixture leader = new LeaderFixture("adoption", Clock.systemUTC());
    private final Store store = leader.store;
    private final long epoch = leader.epoch;
    private final Dispatcher dispatcher = leader.dispatcher;

    @AfterEach
    void close() {
        leader.close();
    }

    @Test
    void a_pending_job_that_a_registering_node_reports_running_is_adopted_there() throws Exception {
        long id = pendingJobLoaded(List.of());
        CompletableFuture<List<Long>> stopped = new CompletableFuture<>();

        dispatcher.register(new NodeTable.Registration("n1", "127.0.0.9", 9, 1, 0, -1, 0, List.of("noop"), 1),
                List.of(RunningJob.newBuilder().setJobId(id).setAttempt(1).setWorker("127.0.0.9:1000").build()),
                a -> InProcessChannelBuilder.forName("nowhere").build(), stopped::complete);

        assertThat(stopped.get()).as("nothing to stop: the job is adopted").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.jobs().get(id).orElseThrow().state() == JobState.RUNNING);
        StoredJob adopted = store.jobs().get(id).orElseThrow();
        assertThat(adopted.assignedNode()).isEqualTo("n1");
        assertThat(adopted.attempts()).isEqualTo(1);
        assertThat(dispatcher.readyCount()).as("not waiting to run again").isZero();
    }

    @Test
    void a_reported_job_of_another_attempt_is_stopped_and_waits_to_run() throws Exception {
        long id = pendingJobLoaded(List.of());
        CompletableFuture<List<Long>> stopped = new CompletableFuture<>();

        dispatcher.register(new NodeTable.Registration("n1", "127.0.0.9", 9, 1, 0, -1, 0, List.of("noop"), 0),
                List.of(RunningJob.newBuilder().setJobId(id).setAttempt(2).setWorker("").build()),
                a -> InProcessChannelBuilder.forName("nowhere").build(), stopped::complete);

        assertThat(stopped.get()).containsExactly(id);
        assertThat(dispatcher.readyCount()).as("still waiting to run").isEqualTo(1);
        assertThat(store.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void a_job_this_leader_gave_to_another_node_is_stopped_on_a_node_that_reports_it_and_its_outcome_refused()
            throws Exception {
        String other = io.grpc.inprocess.InProcessServerBuilder.generateName();
        CompletableFuture<Long> delivered = new CompletableFuture<>();
        io.grpc.Server server = recordingNode(other, delivered);
        try {
            long id = pendingJobLoaded(List.of());
            dispatcher.register(new NodeTable.Registration("b", "127.0.0.8", 8, 1, 1, -1, 0, List.of("noop"), 0), List.of(),
                    a -> InProcessChannelBuilder.forName(other).directExecutor().build(), ids -> { });
            assertThat(delivered.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(id);
            CompletableFuture<List<Long>> stopped = new CompletableFuture<>();

            dispatcher.register(new NodeTable.Registration("a", "127.0.0.9", 9, 1, 0, -1, 0, List.of("noop"), 1),
                    List.of(RunningJob.newBuilder().setJobId(id).setAttempt(1).setWorker("127.0.0.9:1000").build()),
                    a -> InProcessChannelBuilder.forName("nowhere").build(), stopped::complete);

            assertThat(stopped.get()).as("the same attempt, but b has it").containsExactly(id);

            CompletableFuture<Integer> stale = new CompletableFuture<>();
            dispatcher.complete("a", List.of(io.earthling.protocol.manager.JobOutcome.newBuilder().setJobId(id)
                    .setAttempt(1).setStatus(io.earthling.protocol.manager.JobOutcome.Status.FAILED).setRetryable(true)
                    .setError("stopped: superseded").build()), (accepted, refused) -> stale.complete(refused),
                    stale::completeExceptionally);
            assertThat(stale.get()).as("a's outcome of b's attempt is refused").isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.jobs().get(id).orElseThrow().state() == JobState.ASSIGNED);
            assertThat(store.jobs().events(id)).extracting(io.earthling.store.JobEvent::kind).containsExactly("ASSIGNED");
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void after_a_takeover_pending_jobs_wait_for_the_previous_leaders_nodes_so_the_one_running_it_adopts_it()
            throws Exception {
        String other = io.grpc.inprocess.InProcessServerBuilder.generateName();
        CompletableFuture<Long> delivered = new CompletableFuture<>();
        io.grpc.Server server = recordingNode(other, delivered);
        try {
            // The previous leader knew a and b; it delivered the job to a and stopped before ASSIGNED was stored.
            long id = pendingJobLoaded(List.of("a", "b"));
            CompletableFuture<List<Long>> bRegistered = new CompletableFuture<>();
            dispatcher.register(new NodeTable.Registration("b", "127.0.0.8", 8, 1, 1, -1, 0, List.of("noop"), 0), List.of(),
                    a -> InProcessChannelBuilder.forName(other).directExecutor().build(), bRegistered::complete);
            bRegistered.get(10, java.util.concurrent.TimeUnit.SECONDS);
            CompletableFuture<List<Long>> stopped = new CompletableFuture<>();

            dispatcher.register(new NodeTable.Registration("a", "127.0.0.9", 9, 1, 0, -1, 0, List.of("noop"), 1),
                    List.of(RunningJob.newBuilder().setJobId(id).setAttempt(1).setWorker("127.0.0.9:1000").build()),
                    a -> InProcessChannelBuilder.forName("nowhere").build(), stopped::complete);

            assertThat(stopped.get()).as("a keeps it").isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.jobs().get(id).orElseThrow().state() == JobState.RUNNING);
            assertThat(store.jobs().get(id).orElseThrow().assignedNode()).isEqualTo("a");
            assertThat(delivered).as("never given to b: one execution of attempt 1").isNotDone();
        } finally {
            server.shutdownNow();
        }
    }

    /** A new PENDING job (3 attempts) that this leader found when it took over from one that knew {@code roster}. */
    private long pendingJobLoaded(List<String> roster) {
        long id = leader.insert(3);
        dispatcher.load(List.of(ReadyJobs.of(store.jobs().get(id).orElseThrow())), List.of(), roster);
        dispatcher.start();
        return id;
    }

    /** A node on an in-process channel that accepts every delivery and completes {@code delivered} with the job. */
    private static io.grpc.Server recordingNode(String name, CompletableFuture<Long> delivered) throws Exception {
        return io.grpc.inprocess.InProcessServerBuilder.forName(name).directExecutor()
                .addService(new io.earthling.protocol.EarthlingGrpc.EarthlingImplBase() {
                    @Override
                    public void deliver(io.earthling.protocol.DeliverRequest r,
                                        io.grpc.stub.StreamObserver<io.earthling.protocol.DeliverResponse> out) {
                        long job = r.getJobs(0).getJobId();
                        out.onNext(io.earthling.protocol.DeliverResponse.newBuilder().addAccepted(job).build());
                        out.onCompleted();
                        delivered.complete(job);
                    }
                }).build().start();
    }
}

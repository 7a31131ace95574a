package io.earthling.manager.internal.dispatch;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.api.JobState;
import io.earthling.manager.ManualClock;
import io.earthling.manager.internal.LeaderFixture;
import io.earthling.protocol.manager.RunningJob;
import io.earthling.store.StateChange;
import io.earthling.store.Store;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DispatcherNodeLossTest {
    private final ManualClock clock = new ManualClock(Instant.now());
    private final LeaderFixture leader = new LeaderFixture("node-loss", clock);
    private final Store store = leader.store;
    private final Dispatcher dispatcher = leader.dispatcher;

    @AfterEach
    void close() {
        leader.close();
    }

    @Test
    void a_job_whose_node_is_lost_during_its_last_attempt_ends_dead_and_the_leader_goes_on() {
        long id = runningOnN1();

        for (int i = 0; i < 25; i++) { // 10 s without a heartbeat from n1, seen by the leader as it runs
            passTime(Duration.ofMillis(400));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> store.jobs().get(id).orElseThrow().state() == JobState.DEAD);
        assertThat(store.jobs().get(id).orElseThrow().error()).contains("n1 went offline during its last attempt (1 of 1)");
        assertThat(leader.stoppedLeading).as("the leader goes on").isFalse();
    }

    @Test
    void a_leader_that_was_paused_gives_its_nodes_a_fresh_grace_instead_of_declaring_them_lost() {
        long id = runningOnN1();
        passTime(Duration.ofMillis(300));

        passTime(Duration.ofSeconds(10)); // the leader itself stood still: SIGSTOP, a long GC pause
        passTime(Duration.ofMillis(400));

        assertThat(dispatcher.nodes()).singleElement().satisfies(n -> assertThat(n.online).as("online").isTrue());
        assertThat(store.jobs().get(id).orElseThrow().state()).as("still running on n1").isEqualTo(JobState.RUNNING);
    }

    @Test
    void a_wall_clock_step_is_not_a_nodes_silence() {
        long id = runningOnN1();
        passTime(Duration.ofMillis(300));

        clock.step(Duration.ofMinutes(5)); // someone set the machine's clock
        passTime(Duration.ofMillis(400));

        assertThat(dispatcher.nodes()).singleElement().satisfies(n -> assertThat(n.online).as("online").isTrue());
        assertThat(store.jobs().get(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    /** A job with one attempt, RUNNING on node n1 that has registered with this leader; its id. */
    private long runningOnN1() {
        long id = leader.insert(1);
        store.jobs().apply(List.of(StateChange.of(id, EnumSet.of(PENDING), ASSIGNED).node("n1").build(),
                StateChange.of(id, EnumSet.of(ASSIGNED), RUNNING).attempts(1).worker("w1").build()), leader.epoch);
        dispatcher.load(List.of(), List.of(new InFlight(ReadyJobs.of(store.jobs().get(id).orElseThrow()), 1, "n1",
                true, false)));
        dispatcher.start();
        java.util.concurrent.CompletableFuture<List<Long>> registered = new java.util.concurrent.CompletableFuture<>();
        dispatcher.register(new NodeTable.Registration("n1", "127.0.0.9", 9, 1, 0, 1, 0, List.of("noop"), 1),
                List.of(RunningJob.newBuilder().setJobId(id).setAttempt(1).setWorker("w1").build()),
                a -> InProcessChannelBuilder.forName("nowhere").build(), registered::complete);
        assertThat(registered.join()).as("nothing to stop").isEmpty();
        return id;
    }

    /** Moves the clock, then waits for the dispatcher's next housekeeping pass to see the new time. */
    private void passTime(Duration d) {
        long before = dispatcher.sweeps();
        clock.advance(d);
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.sweeps() > before);
    }
}

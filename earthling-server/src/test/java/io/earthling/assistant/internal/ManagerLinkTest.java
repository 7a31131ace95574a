package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.RegisterResponse;
import io.earthling.protocol.manager.RunningJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ManagerLinkTest {
    private static final long HEARTBEAT_MS = 100;
    private final ResultOutbox outbox = new ResultOutbox();
    private final SlotPool pool = new SlotPool(List.of(new SlotPoolTest.Slot("w1", false)));
    private final RunningJobs running = new RunningJobs();
    private final Lifecycle lifecycle = new Lifecycle();
    private final EpochGate epochs = new EpochGate();
    private final LocalQueue queue = new LocalQueue(pool, running, outbox, lifecycle, 1);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ManagerLink link;

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.stop();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** A new leader may find such a job PENDING: reported as running there, it is adopted, not run again. */
    @Test
    void a_registration_reports_jobs_whose_outcome_the_leader_has_not_acknowledged() {
        FakeManager standby = manager();
        outbox.add(JobOutcome.newBuilder().setJobId(42).setAttempt(2).setWorker("127.0.0.1:1000")
                .setStatus(JobOutcome.Status.SUCCEEDED).build());

        start(standby);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !standby.registrations.isEmpty());
        assertThat(standby.registrations.get(0).getRunningList()).containsExactly(RunningJob.newBuilder()
                .setJobId(42).setAttempt(2).setWorker("127.0.0.1:1000").build());
    }

    @Test
    void heartbeats_keep_their_interval_while_a_result_report_waits_on_a_slow_commit() {
        FakeManager leader = manager().leads(1);
        leader.commits = new CountDownLatch(1);
        start(leader);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> link.leader() != null);

        outbox.add(JobOutcome.newBuilder().setJobId(7).setAttempt(1).setStatus(JobOutcome.Status.SUCCEEDED).build());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leader.reports.get() == 1);
        int beatsBefore = leader.beats.get();

        // Ten intervals' worth of beats while the report still waits for its commit.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leader.beats.get() >= beatsBefore + 10);
        assertThat(leader.reports.get()).as("the report is still waiting").isEqualTo(1);
        assertThat(outbox.waiting()).isEqualTo(1);
        leader.commits.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outbox.waiting() == 0);
    }

    @Test
    void a_heartbeat_answer_from_an_older_epoch_than_the_node_has_seen_stops_nothing() {
        FakeManager deposed = manager().leads(1);
        RunningJobs.Entry job = running.start(Delivery.newBuilder().setJobId(42).setAttempt(1).setType("noop").build(),
                pool.take());
        start(deposed);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> link.leader() != null);
        assertThat(epochs.accept(2)).as("a newer leader delivered here meanwhile").isTrue();

        deposed.beatAnswer = HeartbeatResponse.newBuilder().setKnown(true).setEpoch(1).addStop(42).build();
        int beatsBefore = deposed.beats.get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deposed.beats.get() > beatsBefore);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> link.leader() == null
                || deposed.registrations.size() > 1);
        assertThat(job.stopReason).as("the deposed leader's stop list is ignored").isNull();
    }

    @Test
    void a_leader_that_stops_answering_heartbeats_is_left_for_a_new_registration_past_the_self_fence_deadline() {
        FakeManager stopped = manager().leads(1);
        start(stopped);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> link.leader() != null);

        int registrations = stopped.registrations.size(); // a cold JVM's first try may have timed out
        stopped.beatsUnanswered = true;
        long t0 = System.nanoTime();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stopped.registrations.size() > registrations);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("after the 2.5 s deadline, not before")
                .isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void a_stop_list_from_the_current_leader_is_obeyed() {
        FakeManager leader = manager().leads(3);
        RunningJobs.Entry job = running.start(Delivery.newBuilder().setJobId(42).setAttempt(1).setType("noop").build(),
                pool.take());
        leader.beatAnswer = HeartbeatResponse.newBuilder().setKnown(true).setEpoch(3).addStop(42).build();

        start(leader);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> job.stopReason != null);
        assertThat(job.stopReason).contains("the leader no longer counts this attempt");
    }

    @Test
    void a_registration_answered_by_an_older_epoch_than_the_node_has_seen_is_not_taken() {
        FakeManager deposed = manager().leads(1);
        epochs.accept(2);

        start(deposed);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deposed.registrations.size() >= 2);
        assertThat(link.leader()).isNull();
    }

    @Test
    void a_standby_that_names_the_leader_sends_the_registration_straight_there() {
        FakeManager leader = manager().leads(5);
        FakeManager silent = manager(); // listed before the leader; never answers a registration
        FakeManager standby = manager().standbyNaming(leader.target());
        long t0 = System.nanoTime();

        start(standby, silent, leader);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> link.leader() != null);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(link.leader()).isEqualTo(leader.target());
        assertThat(silent.registrations).as("never asked: the standby named the leader").isEmpty();
        assertThat(tookMs).isLessThan(ManagerLink.REGISTER_DEADLINE_MS);
    }

    @Test
    void the_leader_as_last_known_is_asked_first_then_the_configured_managers_in_order() {
        LeaderTargets targets = new LeaderTargets(List.of("a:1", "b:1", "c:1"));
        assertThat(targets.order()).containsExactly("a:1", "b:1", "c:1");

        targets.leaderIs("c:1");
        assertThat(targets.order()).containsExactly("c:1", "a:1", "b:1");

        targets.leaderIs("d:1"); // a manager not in the config, named by a standby
        assertThat(targets.order()).containsExactly("d:1", "a:1", "b:1", "c:1");

        targets.leaderIs("");
        assertThat(targets.order()).containsExactly("a:1", "b:1", "c:1");
    }

    @Test
    void a_leader_that_stopped_answering_is_asked_last_until_a_registration_with_it_succeeds() {
        LeaderTargets targets = new LeaderTargets(List.of("a:1", "b:1", "c:1"));
        targets.registeredWith("a:1");

        targets.silent("a:1");
        targets.leaderIs("a:1"); // a standby still reads it in the lease row until the lease runs out
        assertThat(targets.order()).containsExactly("b:1", "c:1", "a:1");
        assertThat(targets.isSilent("a:1")).isTrue();

        targets.leaderIs("b:1");
        assertThat(targets.order()).containsExactly("b:1", "c:1", "a:1");

        targets.registeredWith("a:1");
        assertThat(targets.order()).containsExactly("a:1", "b:1", "c:1");
        assertThat(targets.isSilent("a:1")).isFalse();
    }

    private FakeManager manager() {
        FakeManager m = new FakeManager();
        toClose.add(m);
        return m;
    }

    private void start(FakeManager... managers) {
        link = new ManagerLink("127.0.0.1", 1, java.util.Arrays.stream(managers).map(FakeManager::target).toList(),
                pool, running, outbox, queue, epochs, List.of("noop"), HEARTBEAT_MS, lifecycle);
        Thread linkThread = new Thread(link, "test-link");
        Thread beatThread = new Thread(link.heartbeats(), "test-heartbeat");
        linkThread.setDaemon(true);
        beatThread.setDaemon(true);
        linkThread.start();
        beatThread.start();
        toClose.add(() -> {
            linkThread.interrupt();
            beatThread.interrupt();
        });
    }
}

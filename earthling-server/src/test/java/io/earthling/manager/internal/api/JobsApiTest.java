package io.earthling.manager.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.manager.internal.LeaderFixture;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.intake.Intake;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.ListRequest;
import io.earthling.protocol.jobs.ListResponse;
import io.earthling.protocol.jobs.PauseQueueRequest;
import io.earthling.protocol.jobs.QueueInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** {@link JobsApi} called directly, on a leader's store and dispatcher: no transport in between. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JobsApiTest {
    private LeaderFixture leader;
    private JobsApi jobs;

    @BeforeEach
    void lead() {
        leader = new LeaderFixture("jobs-service-" + UUID.randomUUID(), Clock.systemUTC());
        leader.dispatcher.start();
        Leadership leadership = new Leadership(leader.epoch, "test", leader.dispatcher, leader.writer, new Waiters());
        jobs = new JobsApi(() -> leadership, leader.store.jobs(), leader.store.queues(),
                new Intake(1 << 20, Map.of(), Map.of()), 1_000, 1_000, Clock.systemUTC(), null, () -> null);
    }

    @AfterEach
    void stop() {
        leader.close();
    }

    @Test
    void listing_pages_forward_from_the_newest_job_to_the_oldest_with_before_id() {
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            stored.add(leader.insert(3));
        }

        List<List<Long>> pages = new ArrayList<>();
        long before = 0;
        do {
            ListResponse page = jobs.list(ListRequest.newBuilder().setLimit(3).setBeforeId(before).build()).join();
            pages.add(page.getJobsList().stream().map(JobInfo::getId).toList());
            before = page.getJobsCount() == 3 ? page.getJobs(2).getId() : -1;
        } while (before > 0);

        List<Long> newestFirst = new ArrayList<>(stored);
        java.util.Collections.reverse(newestFirst);
        assertThat(pages).containsExactly(newestFirst.subList(0, 3), newestFirst.subList(3, 6), newestFirst.subList(6, 7));
    }

    @Test
    void pausing_a_queue_answers_with_the_queue_now_paused() throws Exception {
        QueueInfo q = jobs.cluster().pauseQueue(PauseQueueRequest.newBuilder().setQueue("mail").setPaused(true).setCreate(true)
                .build()).get(10, TimeUnit.SECONDS);
        assertThat(q.getName()).isEqualTo("mail");
        assertThat(q.getPaused()).isTrue();
        assertThat(leader.store.queues().paused()).containsExactly("mail");
    }

    @Test
    void pausing_a_queue_nobody_used_is_refused_as_a_likely_typo_and_creates_nothing() {
        CompletableFuture<QueueInfo> a = jobs.cluster().pauseQueue(PauseQueueRequest.newBuilder().setQueue("mial").setPaused(true)
                .build());

        assertThat(a).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withMessageContaining("no queue named \"mial\"").withMessageContaining("--create");
        assertThat(leader.store.queues().paused()).isEmpty();
    }

    @Test
    void a_pause_answers_with_what_was_stored_when_the_dispatcher_does_not_list_the_queue() {
        QueueInfo q = ClusterApi.pausedReply(PauseQueueRequest.newBuilder().setQueue("mail").setPaused(true).build(),
                List.of());

        assertThat(q.getName()).isEqualTo("mail");
        assertThat(q.getPaused()).isTrue();
    }
}

package io.earthling.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobState;
import io.earthling.core.WaitReason.Kind;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WaitReasonTest {
    static final long NOW = 1_800_000_000_000L;
    static final long LATER = NOW + 60_000;

    static QueueSnapshot queue(String name, boolean paused, int concurrency, int running) {
        return new QueueSnapshot(name, new QueueLimits(1, concurrency, 2), paused, 1, 0, running, 1, 0);
    }

    /** A leader's view: queue "q" runs, "stopped" is paused, "busy" is at its concurrency of 2, "slow" at its rate. */
    static final WaitFacts FACTS = new WaitFacts(NOW, true,
            Map.of("q", queue("q", false, 0, 0), "stopped", queue("stopped", true, 0, 0),
                    "busy", queue("busy", false, 2, 2), "slow", queue("slow", false, 0, 0)),
            Set.of("echo", "render"), Set.of("echo"), Map.of("tenant-7", 3), Map.of("slow", NOW + 500));

    static WaitReason.Job pending(String queue, String type, long runAtMs, int attempts, String key, int keyLimit) {
        return new WaitReason.Job(JobState.PENDING, queue, type, runAtMs, attempts, key, keyLimit);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // job                                                  kind                    until          detail names
                Arguments.of(pending("q", "echo", NOW, 0, null, 0), Kind.DUE, 0L, "next dispatch"),
                Arguments.of(pending("q", "echo", LATER, 0, null, 0), Kind.DELAYED, LATER, "delayed until 2027-01-15T08:01:00Z"),
                Arguments.of(pending("q", "echo", LATER, 2, null, 0), Kind.RETRY_BACKOFF, LATER, "attempt 2 failed"),
                Arguments.of(pending("stopped", "echo", NOW, 0, null, 0), Kind.QUEUE_PAUSED, 0L, "earthling queues resume stopped"),
                Arguments.of(pending("stopped", "echo", LATER, 0, null, 0), Kind.QUEUE_PAUSED, LATER, "due at"),
                Arguments.of(pending("q", "mail", NOW, 0, null, 0), Kind.NO_WORKER, 0L, "type 'mail'"),
                Arguments.of(pending("q", "echo", NOW, 0, "tenant-7", 3), Kind.CONCURRENCY_KEY, 0L, "'tenant-7' is at its limit (3 of 3"),
                Arguments.of(pending("q", "echo", NOW, 0, "tenant-7", 4), Kind.DUE, 0L, "next dispatch"),
                Arguments.of(pending("busy", "echo", NOW, 0, null, 0), Kind.QUEUE_CONCURRENCY, 0L, "queues.busy.concurrency"),
                Arguments.of(pending("slow", "echo", NOW, 0, null, 0), Kind.RATE_LIMIT, NOW + 500, "rate limit of 2/s"),
                Arguments.of(pending("q", "render", NOW, 0, null, 0), Kind.WORKERS_BUSY, 0L, "type 'render' is busy"),
                Arguments.of(new WaitReason.Job(JobState.WAITING, "q", "echo", NOW, 1, null, 0), Kind.CHILDREN, 0L, "split"),
                Arguments.of(new WaitReason.Job(JobState.GATHERING, "q", "echo", NOW, 1, null, 0), Kind.GATHERING, 0L, "gather"));
    }

    @ParameterizedTest(name = "{0} waits as {1}")
    @MethodSource("table")
    void a_pending_job_says_why_it_waits(WaitReason.Job job, Kind kind, long untilMs, String detail) {
        WaitReason r = WaitReason.of(job, FACTS);

        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.untilMs()).isEqualTo(untilMs);
        assertThat(r.detail()).contains(detail);
    }

    @Test
    void running_and_final_jobs_do_not_wait() {
        for (JobState s : new JobState[] {JobState.ASSIGNED, JobState.RUNNING, JobState.SUCCEEDED, JobState.DEAD,
                JobState.CANCELLED}) {
            assertThat(WaitReason.of(new WaitReason.Job(s, "q", "echo", NOW, 1, null, 0), FACTS)).as(s.name()).isNull();
        }
    }

    @Test
    void a_standby_tells_only_what_the_row_shows() {
        WaitFacts rows = WaitFacts.rowsOnly(NOW);

        assertThat(WaitReason.of(pending("q", "mail", LATER, 0, null, 0), rows).kind()).isEqualTo(Kind.DELAYED);
        assertThat(WaitReason.of(pending("q", "mail", NOW, 0, null, 0), rows)).isNull();
    }
}

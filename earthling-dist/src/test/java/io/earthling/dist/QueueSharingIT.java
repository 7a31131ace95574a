package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Queues on one real cluster (3 assistants x 3 worker processes, PostgreSQL): concurrency keys, pause, a queue of
 * failing jobs beside a healthy one, and weighted shares. Figures go to target/it-logs/queue-sharing/report.txt;
 * times are reported, not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueSharingIT {
    private static final String QUEUES = "queues:\n"
            + "  failing: { weight: 1 }\n  healthy: { weight: 1 }\n"
            + "  heavy: { weight: 3 }\n  light: { weight: 1 }\n";

    private SeedCluster c;
    private Connection db;
    private final StringBuilder report = new StringBuilder();

    @BeforeAll
    void start() throws Exception {
        String url = TestPostgres.freshDatabase();
        c = new SeedCluster("queue-sharing", url, 3, 3, QUEUES).startManager().startAssistants().awaitNodes(3);
        db = DriverManager.getConnection(url);
    }

    @AfterAll
    void stop() throws Exception {
        c.cluster.write("report.txt", report.toString());
        System.out.print(report);
        db.close();
        c.close();
    }

    @Test
    @Order(1)
    void jobs_sharing_a_concurrency_key_never_run_more_at_once_than_its_limit() throws Exception {
        for (int k = 0; k < 10; k++) {
            int limit = k < 5 ? 1 : 3;
            c.cli("submit", "sleep", "--payload", "{\"ms\": 20}", "--count", "100", "--queue", "keyed",
                    "--concurrency-key", "k" + k, "--concurrency-limit", String.valueOf(limit));
        }
        c.cli("submit", "sleep", "--payload", "{\"ms\": 20}", "--count", "100", "--queue", "unkeyed");
        Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> Db.finalCount(db) == 1_100);

        assertThat(Db.rows(db, "SELECT state, count(*) FROM jobs GROUP BY 1")).containsExactly("SUCCEEDED=1100");
        Map<String, Integer> most = mostAtOnce("SELECT concurrency_key, started_at, finished_at FROM jobs "
                + "WHERE queue = 'keyed'");
        for (int k = 0; k < 10; k++) {
            assertThat(most.get("k" + k)).as("most jobs with key k%d at once", k).isLessThanOrEqualTo(k < 5 ? 1 : 3);
        }
        // The same check finds overlap where there is no key: it can fail.
        int unkeyed = mostAtOnce("SELECT 'none', started_at, finished_at FROM jobs WHERE queue = 'unkeyed'").get("none");
        assertThat(unkeyed).isGreaterThan(1);
        report.append(String.format("concurrency keys: 1,000 jobs of 20 ms on 9 workers, keys k0-k4 limit 1, k5-k9 "
                + "limit 3: most at once per key %s; 100 unkeyed jobs: %d at once%n", most, unkeyed));
    }

    @Test
    @Order(2)
    void a_paused_queue_holds_its_jobs_until_it_is_resumed() throws Exception {
        c.cli("queues", "pause", "--create", "held");
        c.cli("submit", "noop", "--count", "20", "--queue", "held");
        c.cli("submit", "noop", "--count", "20", "--queue", "passing");
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() ->
                Db.count(db, "SELECT count(*) FROM jobs WHERE queue = 'passing' AND state = 'SUCCEEDED'") == 20);

        assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE queue = 'held' AND state = 'PENDING'")).isEqualTo(20);
        assertThat(c.cli("queues")).containsPattern("held +1 +- +- +PAUSED +20 ");
        c.cli("queues", "resume", "held");
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() ->
                Db.count(db, "SELECT count(*) FROM jobs WHERE queue = 'held' AND state = 'SUCCEEDED'") == 20);
    }

    @Test
    @Order(3)
    void a_queue_of_failing_jobs_barely_slows_a_healthy_queue_beside_it() throws Exception {
        runHealthy("warm-up-0", 10_000);
        runHealthy("warm-up-1", 10_000);
        c.cli("queues", "pause", "--create", "failing");
        c.client().submitAll(Collections.nCopies(10_000, JobSpec.of("fail", "{}").withQueue("failing").withMaxAttempts(3)));
        // Alone, beside, beside, alone, three times: a drift of the whole machine from one run to the next (JIT, other
        // processes, autovacuum, the table growing by 10,000 rows a run) adds about the same to both sums, so the
        // ratio shows what the failing queue costs. The failing queue runs only beside the healthy one (alone it
        // would take every slot and could drain between the runs) and stays backlogged throughout (asserted).
        String order = "ABBAABBAABBA";
        List<Long> alone = new ArrayList<>();
        List<Long> beside = new ArrayList<>();
        List<Double> share = new ArrayList<>();
        for (int run = 0; run < order.length(); run++) {
            String phase = (order.charAt(run) == 'A' ? "alone-" : "beside-") + run;
            if (order.charAt(run) == 'A') {
                alone.add(runHealthy(phase, 10_000));
                continue;
            }
            c.client().pause("failing", false);
            beside.add(runHealthy(phase, 10_000));
            c.client().pause("failing", true);
            share.add(share("failing", "healthy", phase));
        }
        double ratio = beside.stream().mapToLong(Long::longValue).sum()
                / (double) alone.stream().mapToLong(Long::longValue).sum();

        report.append(String.format("failing queue beside a healthy one (equal weights, 9 workers): 10,000 no-op jobs "
                + "took, in the order alone, beside, beside, alone, three times: %s ms; beside 10,000 always-failing jobs (3 "
                + "attempts, backoff) = %.2fx the time alone; the failing queue had %s of the starts meanwhile (%d of its "
                + "jobs DEAD after 3 attempts by then)%n",
                interleave(order, alone, beside), ratio,
                share.stream().map(x -> String.format("%.0f%%", x * 100)).toList(),
                Db.count(db, "SELECT count(*) FROM jobs WHERE queue = 'failing' AND state = 'DEAD'")));
        // Attempts of the failing queue started while the healthy one ran: its share shrank with its health.
        assertThat(share).allMatch(x -> x < 0.3);
        assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE queue = 'failing' AND state = 'PENDING'"))
                .as("the failing queue was still backlogged at the end").isPositive();
        assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE queue = 'failing' AND (state = 'SUCCEEDED' "
                + "OR state = 'DEAD' AND attempts <> 3)")).as("failing jobs end DEAD after exactly 3 attempts").isZero();
    }

    @Test
    @Order(4)
    void backlogged_queues_weighted_three_to_one_get_slots_three_to_one_over_a_minute() throws Exception {
        c.cli("submit", "sleep", "--payload", "{\"ms\": 50}", "--count", "12000", "--queue", "heavy");
        c.cli("submit", "sleep", "--payload", "{\"ms\": 50}", "--count", "4000", "--queue", "light");
        long from = System.currentTimeMillis() + 5_000;
        long to = from + 60_000;
        // The window is fully recorded once both queues have a finished job that started a second after it:
        // every 50 ms job that started inside it has ended and written its times.
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> startedBetween("heavy", to + 1_000, to + 600_000) > 0
                        && startedBetween("light", to + 1_000, to + 600_000) > 0);
        c.cli("queues", "pause", "heavy");
        c.cli("queues", "pause", "light");

        long heavy = startedBetween("heavy", from, to);
        long light = startedBetween("light", from, to);
        assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE queue = 'light' AND started_at IS NULL"))
                .as("light stayed backlogged the whole minute").isPositive();
        double ratio = heavy / (double) light;
        assertThat(ratio).isBetween(2.7, 3.3);
        report.append(String.format("weights 3:1, both backlogged, 9 workers, 50 ms jobs: in one minute heavy started "
                + "%,d and light %,d jobs = %.2f:1%n", heavy, light, ratio));
    }

    private static String interleave(String order, List<Long> alone, List<Long> beside) {
        List<String> out = new ArrayList<>();
        int a = 0;
        int b = 0;
        for (char c : order.toCharArray()) {
            out.add(String.format("%,d", c == 'A' ? alone.get(a++) : beside.get(b++)));
        }
        return String.join(", ", out);
    }

    /** Submits no-op jobs and waits for them with the client (no polling of the DB to skew the time). */
    private long runHealthy(String phase, int count) {
        long start = System.currentTimeMillis();
        List<Long> ids = c.client().submitAll(Collections.nCopies(count,
                JobSpec.of("noop", "{\"phase\": \"" + phase + "\"}").withQueue("healthy")));
        List<JobView> done = c.client().await(ids, Duration.ofMinutes(5));
        long took = System.currentTimeMillis() - start;
        assertThat(done).hasSize(count).allMatch(j -> j.state() == JobState.SUCCEEDED);
        return took;
    }

    /** The share of {@code queue}'s attempts among all attempts started while the healthy phase ran. */
    private double share(String queue, String other, String phase) throws SQLException {
        String window = "(SELECT min(started_at) FROM jobs WHERE queue = '" + other + "' AND payload LIKE '%" + phase
                + "%') AND (SELECT max(finished_at) FROM jobs WHERE queue = '" + other + "' AND payload LIKE '%" + phase
                + "%')";
        long mine = Db.count(db, "SELECT count(*) FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE j.queue = '"
                + queue + "' AND e.kind IN ('FAILED', 'DEAD') AND e.at BETWEEN " + window);
        long theirs = Db.count(db, "SELECT count(*) FROM jobs WHERE queue = '" + other + "' AND payload LIKE '%"
                + phase + "%'");
        return mine / (double) (mine + theirs);
    }

    private long startedBetween(String queue, long fromMs, long toMs) throws SQLException {
        return Db.count(db, "SELECT count(*) FROM jobs WHERE queue = '" + queue + "' AND started_at >= to_timestamp("
                + fromMs / 1000.0 + ") AND started_at < to_timestamp(" + toMs / 1000.0 + ")");
    }

    /** Per key, the most jobs whose [started_at, finished_at) intervals overlap at one moment. */
    private Map<String, Integer> mostAtOnce(String sql) throws SQLException {
        Map<String, List<long[]>> edges = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<long[]> e = edges.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                e.add(new long[] {rs.getTimestamp(2).getTime(), 1});
                e.add(new long[] {rs.getTimestamp(3).getTime(), -1});
            }
        }
        Map<String, Integer> most = new HashMap<>();
        edges.forEach((key, e) -> {
            // An end at the same millisecond as a start comes first: the next job may start as the last one ends.
            e.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int now = 0;
            int max = 0;
            for (long[] x : e) {
                now += (int) x[1];
                max = Math.max(max, now);
            }
            most.put(key, max);
        });
        return most;
    }
}

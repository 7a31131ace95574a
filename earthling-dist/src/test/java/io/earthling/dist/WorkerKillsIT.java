package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.earthling.api.JobSpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The seed's state daemon at work: 100 kill -9 of worker processes at random moments under a steady load. No
 * job is lost, each kill costs at most one extra run, and every worker comes back. The latencies go to
 * target/it-logs/worker-kills/report.txt.
 */
class WorkerKillsIT {
    private static final int KILLS = 100;
    private static final int BACKLOG = 60;

    @Test
    void a_hundred_worker_kills_under_load_lose_no_job_and_cost_at_most_one_extra_run_each() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("worker-kills", url, 3, 3).startManager().startAssistants().awaitNodes(3);
             Connection db = DriverManager.getConnection(url)) {
            Path marks = c.cluster.dir().resolve("marks-" + System.nanoTime() + ".txt");
            JobSpec job = JobSpec.of("mark", "{\"file\": \"" + marks + "\", \"sleepMs\": 100}");
            long jobs = c.client().submitAll(Collections.nCopies(BACKLOG, job)).size();

            Random random = new Random(7);
            List<Long> backMs = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> comebacks = new ArrayList<>();
            Map<Long, Long> listeningSince = new java.util.HashMap<>();
            int kills = 0;
            while (kills < KILLS) {
                Thread.sleep(400 + random.nextInt(800)); // a random moment, about one kill a second
                // A steady load: keep a backlog waiting, whatever speed the workers manage between kills.
                long waiting = Db.count(db, "SELECT count(*) FROM jobs WHERE state = 'PENDING'");
                if (waiting < BACKLOG) {
                    jobs += c.client().submitAll(Collections.nCopies(BACKLOG, job)).size();
                }
                // Only workers serving for a while: killing one that just came back would be a crash loop, which
                // the assistant (rightly) gives up on.
                List<Workers.Worker> eligible = new ArrayList<>();
                long now = System.nanoTime();
                for (int i = 0; i < c.assistants; i++) {
                    for (Workers.Worker w : Workers.of(c.cluster.process("assistant-" + (i + 2)))) {
                        if (Workers.listening(w.address(), w.port())) {
                            long since = listeningSince.computeIfAbsent(w.handle().pid(), pid -> now);
                            if (now - since > 3_500_000_000L) {
                                eligible.add(w);
                            }
                        }
                    }
                }
                if (eligible.isEmpty()) {
                    continue;
                }
                Workers.Worker w = eligible.get(random.nextInt(eligible.size()));
                long killedAt = System.nanoTime();
                w.handle().destroyForcibly();
                kills++;
                comebacks.add(CompletableFuture.runAsync(() -> {
                    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                            .until(() -> !w.handle().isAlive() && Workers.listening(w.address(), w.port()));
                    backMs.add((System.nanoTime() - killedAt) / 1_000_000);
                }));
            }
            CompletableFuture.allOf(comebacks.toArray(CompletableFuture[]::new)).join();
            long total = jobs;
            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Db.finalCount(db) == total);

            assertThat(Db.rows(db, "SELECT state, count(*) FROM jobs GROUP BY 1")).containsExactly("SUCCEEDED=" + total);
            Map<String, Long> runs = Files.readAllLines(marks).stream().map(l -> l.split(" ")[0])
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            Map<String, Long> losses = Db.rows(db, "SELECT job_id, count(*) FROM job_events WHERE kind = 'FAILED' "
                    + "AND detail LIKE '%died%' GROUP BY job_id").stream()
                    .collect(Collectors.toMap(r -> r.split("=")[0], r -> Long.parseLong(r.split("=")[1])));
            assertThat(runs).hasSize((int) total);
            assertThat(losses.values().stream().mapToLong(Long::longValue).sum())
                    .as("attempts charged to dead workers: at most one per kill (none to a job handed to a dead process)")
                    .isLessThanOrEqualTo(kills);
            runs.forEach((id, n) -> assertThat(n).as("runs of job %s", id).isLessThanOrEqualTo(1 + losses.getOrDefault(id, 0L)));
            long extraRuns = runs.values().stream().mapToLong(n -> n - 1).sum();
            assertThat(extraRuns).as("extra runs").isLessThanOrEqualTo(kills);
            assertThat(backMs).hasSize(KILLS);
            assertThat(c.client().nodes()).allSatisfy(n -> assertThat(n.broken()).isZero());

            List<Long> redispatch = Db.longs(db, "SELECT CAST(EXTRACT(EPOCH FROM (n.at - f.at)) * 1000 AS BIGINT) "
                    + "FROM job_events f JOIN LATERAL (SELECT min(a.at) AS at FROM job_events a WHERE a.job_id = f.job_id "
                    + "AND a.kind = 'ASSIGNED' AND a.id > f.id) n ON true WHERE f.kind = 'FAILED' AND f.detail LIKE '%died%'");
            String report = String.format("%d kills under a steady load, %d jobs (100 ms each) on 9 worker processes%n"
                            + "jobs lost: 0; extra runs: %d (jobs hit mid-run)%n"
                            + "kill -> worker listening again: p50 %d ms, p99 %d ms, max %d ms%n"
                            + "failure recorded -> job assigned again: p50 %d ms, p99 %d ms, max %d ms (%d jobs)%n",
                    kills, total, extraRuns, Db.percentile(backMs, 50), Db.percentile(backMs, 99),
                    Db.percentile(backMs, 100), Db.percentile(redispatch, 50), Db.percentile(redispatch, 99),
                    Db.percentile(redispatch, 100), redispatch.size());
            c.cluster.write("report.txt", report);
            System.out.print(report);
        }
    }
}

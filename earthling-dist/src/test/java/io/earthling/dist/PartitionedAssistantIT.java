package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGSTOP of an assistant for 30 s, then SIGCONT: the manager takes the node offline and runs its jobs
 * elsewhere; the frozen node's late results are refused as stale and it fences itself off until it registers
 * again, so no job ends with two successful runs. What happened to each affected job goes to the report.
 */
class PartitionedAssistantIT {

    @Test
    void a_frozen_assistants_jobs_run_elsewhere_and_its_late_results_are_refused() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("partition", url, 2, 3).startManager().startAssistants().awaitNodes(2);
             Connection db = DriverManager.getConnection(url)) {
            Path marks = c.cluster.dir().resolve("marks-" + System.nanoTime() + ".txt");
            c.cli("submit", "mark", "--payload", "{\"file\": \"" + marks + "\", \"sleepMs\": 2000}", "--count", "12");
            String onFrozen = "SELECT id FROM jobs WHERE state = 'RUNNING' AND assigned_node LIKE '127.0.0.3:%'";
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Db.longs(db, onFrozen).size() >= 2);
            List<Long> affected = Db.longs(db, onFrozen);
            long pid = c.cluster.process("assistant-3").pid();

            long stoppedAt = System.nanoTime();
            signal("STOP", pid);
            Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> c.client().nodes().stream()
                    .anyMatch(n -> n.id().startsWith("127.0.0.3") && n.status().equals("OFFLINE")));
            Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - stoppedAt) / 1_000_000)); // the partition lasts 30 s
            signal("CONT", pid);

            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> Db.finalCount(db) == 12);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> c.client().nodes().stream()
                    .anyMatch(n -> n.id().startsWith("127.0.0.3") && n.status().equals("ONLINE")));

            assertThat(Db.rows(db, "SELECT state, count(*) FROM jobs GROUP BY 1")).containsExactly("SUCCEEDED=12");
            assertThat(Db.rows(db, "SELECT CAST(job_id AS VARCHAR), count(*) FROM job_events WHERE kind = 'SUCCEEDED' "
                    + "GROUP BY job_id HAVING count(*) > 1")).as("jobs with two successful runs recorded").isEmpty();
            String ids = affected.toString().replace('[', '(').replace(']', ')');
            assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE id IN " + ids
                    + " AND attempts >= 2 AND assigned_worker LIKE '127.0.0.2:%'")).isEqualTo(affected.size());
            assertThat(c.cluster.log("manager")).contains("stale results from 127.0.0.3");

            StringBuilder report = new StringBuilder("SIGSTOP of assistant 127.0.0.3 for 30 s with "
                    + affected.size() + " jobs running on it (2 s each)\n");
            List<String> runs = Files.readAllLines(marks);
            for (long id : affected) {
                report.append("job ").append(id).append(": runs (job attempt) ")
                        .append(runs.stream().filter(l -> l.startsWith(id + " ")).toList())
                        .append("; events ").append(Db.rows(db, "SELECT kind || ' ' || coalesce(worker, node, ''), attempt "
                                + "FROM job_events WHERE job_id = " + id + " ORDER BY id"))
                        .append('\n');
            }
            report.append("manager: ").append(c.cluster.log("manager").lines()
                    .filter(l -> l.contains("stale") || l.contains("offline")).toList()).append('\n');
            c.cluster.write("report.txt", report.toString());
            System.out.print(report);
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).start().waitFor()).isZero();
    }
}

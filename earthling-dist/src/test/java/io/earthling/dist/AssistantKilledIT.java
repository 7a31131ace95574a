package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of an assistant under load: its worker processes exit on their own (no orphan keeps its port), and the
 * jobs it was running finish on the other nodes. Times go to target/it-logs/assistant-kill/report.txt.
 */
class AssistantKilledIT {

    @Test
    void a_killed_assistants_workers_exit_and_its_jobs_finish_on_other_nodes() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("assistant-kill", url, 3, 3).startManager().startAssistants().awaitNodes(3);
             Connection db = DriverManager.getConnection(url)) {
            c.cli("submit", "sleep", "--payload", "{\"ms\": 500}", "--count", "90");
            String onVictim = "SELECT id FROM jobs WHERE state = 'RUNNING' AND assigned_node LIKE '127.0.0.4:%'";
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Db.longs(db, onVictim).size() >= 2);
            List<Workers.Worker> orphans = Workers.of(c.cluster.process("assistant-4"));
            List<Long> lost = Db.longs(db, onVictim);

            long t0 = System.nanoTime();
            c.cluster.kill9("assistant-4");
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> orphans.stream().allMatch(w -> Workers.exited(w.handle())));
            long workersGoneMs = (System.nanoTime() - t0) / 1_000_000;
            String ids = lost.toString().replace('[', '(').replace(']', ')');
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Db.count(db, "SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED' AND id IN " + ids) == lost.size());
            long jobsDoneMs = (System.nanoTime() - t0) / 1_000_000;
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> Db.finalCount(db) == 90);

            assertThat(orphans).hasSize(3).allSatisfy(w -> assertThat(Workers.listening(w.address(), w.port())).isFalse());
            assertThat(Db.rows(db, "SELECT state, count(*) FROM jobs GROUP BY 1")).containsExactly("SUCCEEDED=90");
            assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE id IN " + ids + " AND assigned_node NOT LIKE '127.0.0.4:%'"))
                    .as("the killed node's jobs finished elsewhere").isEqualTo(lost.size());
            String report = String.format("kill -9 of an assistant running %d jobs (500 ms each), nodeGraceMs 3000%n"
                    + "its 3 worker processes gone after %d ms%nits jobs SUCCEEDED on other nodes %d ms after the kill%n",
                    lost.size(), workersGoneMs, jobsDoneMs);
            c.cluster.write("report.txt", report);
            System.out.print(report);
        }
    }
}

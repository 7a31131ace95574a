package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node not in the YAML joins at run time and gets work at once; a drained node finishes its running jobs,
 * leaves and exits, and nothing is lost or run twice.
 */
class JoinAndDrainIT {

    @Test
    void a_node_joining_at_run_time_gets_work_and_a_drained_node_leaves_with_nothing_lost() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("join-drain", url, 1, 2).startManager().startAssistants().awaitNodes(1);
             Connection db = DriverManager.getConnection(url)) {
            c.cli("submit", "sleep", "--payload", "{\"ms\": 300}", "--count", "150");

            c.cluster.start("joiner", "assistant", "--manager", "127.0.0.1:" + c.managerPort, "--address", "127.0.0.5",
                    "--workers", "2");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> c.online().stream().anyMatch(n -> n.id().startsWith("127.0.0.5:")));
            long joined = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() ->
                    Db.count(db, "SELECT count(*) FROM jobs WHERE assigned_node LIKE '127.0.0.5:%'") > 0);
            long firstWorkMs = (System.nanoTime() - joined) / 1_000_000;

            Process drained = c.cluster.process("assistant-2");
            c.cli("drain", "127.0.0.2:" + c.assistantPort);
            assertThat(drained.waitFor(60, TimeUnit.SECONDS)).as("the drained assistant exits").isTrue();
            assertThat(drained.exitValue()).isZero();
            assertThat(c.workerPorts()).allSatisfy(p -> assertThat(Workers.listening("127.0.0.2", p)).isFalse());
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> Db.finalCount(db) == 150);

            assertThat(Db.rows(db, "SELECT state || ' x' || attempts, count(*) FROM jobs GROUP BY 1"))
                    .containsExactly("SUCCEEDED x1=150");
            assertThat(Db.count(db, "SELECT count(*) FROM jobs WHERE assigned_node LIKE '127.0.0.2:%'")).isPositive();
            String report = String.format("a node joining at run time got its first job %d ms after it showed up "
                    + "(heartbeat 1000 ms); the drained node left and exited with 0; 150/150 jobs SUCCEEDED, 1 attempt each%n",
                    firstWorkMs);
            c.cluster.write("report.txt", report);
            System.out.print(report);
        }
    }
}

package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the manager mid-run, then a restart: every job still ends final, none is lost, and no job runs
 * twice (each run of the {@code mark} handler appends its job id to one file, so runs are counted). Six long
 * jobs are running on the assistants across the restart: the new leader adopts them instead of running them
 * again, so every job ends with exactly one attempt.
 *
 * <p>The node grace is 15 s here, so the assistants' self-fence deadline (grace - 0.5 s) outlasts the manager's
 * restart even on a loaded machine: what is tested is the takeover's adoption. With the default 3 s grace a manager
 * down longer than 2.5 s makes its nodes fence themselves off and stop their running jobs, which then run again
 * (docs/operations.md, "Timing contract").
 */
class ManagerKilledMidRunIT {

    @Test
    void every_job_still_ends_final_and_none_runs_twice_after_the_manager_is_killed_and_restarted() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (SeedCluster c = new SeedCluster("manager-kill", url, 2, 3,
                "timing: { nodeGraceMs: 15000 }\n").startManager().startAssistants().awaitNodes(2);
             Connection db = DriverManager.getConnection(url)) {
            Path marks = c.cluster.dir().resolve("marks-" + System.nanoTime() + ".txt");
            c.cli("submit", "mark", "--payload", "{\"file\": \"" + marks + "\", \"sleepMs\": 4000}", "--count", "6");
            c.cli("submit", "mark", "--payload", "{\"file\": \"" + marks + "\", \"sleepMs\": 20}", "--count", "594");

            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Db.count(db, "SELECT count(*) FROM jobs WHERE state = 'RUNNING'") >= 6);
            c.cluster.kill9("manager");
            long doneAtKill = Db.count(db, "SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED'");
            c.startManager();

            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Db.count(db,
                            "SELECT count(*) FROM jobs WHERE state IN ('SUCCEEDED','DEAD','CANCELLED')") == 600);

            assertThat(doneAtKill).as("the kill came mid-run").isLessThan(600);
            assertThat(Db.rows(db, "SELECT state || ' x' || attempts, count(*) FROM jobs GROUP BY 1"))
                    .containsExactly("SUCCEEDED x1=600");
            List<String> runs = Files.readAllLines(marks);
            Map<String, Long> runsPerJob = runs.stream().map(l -> l.split(" ")[0])
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(runsPerJob).hasSize(600);
            assertThat(runsPerJob.values()).as("runs per job").allMatch(n -> n == 1);
        }
    }
}

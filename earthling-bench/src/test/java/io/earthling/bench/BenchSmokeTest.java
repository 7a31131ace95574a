package io.earthling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness end to end with tiny counts: Earthling on the PostgreSQL server of {@code EARTHLING_PG_URL}, every
 * workload, into a temporary report directory. Checks the report's shape only, never a timing.
 */
class BenchSmokeTest {
    static final String PG = System.getenv().getOrDefault("EARTHLING_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @AfterEach
    void drop_the_contender_database() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS benchsmoke_earthling WITH (FORCE)");
        }
    }

    @Test
    void every_workload_runs_against_earthling_and_the_report_and_results_are_written(@TempDir Path out) throws Exception {
        try (Connection c = DriverManager.getConnection(PG)) {
            assertThat(c.isValid(5)).isTrue();
        } catch (SQLException e) {
            fail("no PostgreSQL at " + PG + " (set EARTHLING_PG_URL)", e);
        }

        int exit = new CommandLine(new BenchMain()).execute("--pg", PG, "--contenders", "earthling",
                "--db-prefix", "benchsmoke_", "--jobs", "100", "--load-jobs", "100", "--warm-up", "20", "--batch", "25", "--workers", "1",
                "--rates", "20", "--pickup-seconds", "1", "--idle-workers", "1", "--idle-seconds", "1",
                "--settle-seconds", "0.5", "--flush-seconds", "0.5", "--scaling-workers", "1", "--scaling-jobs", "10",
                "--timeout", "45", "--out", out.toString());

        assertThat(exit).as("every run completed").isZero();
        Results r = Results.read(out.resolve("results.json"));
        assertThat(r.workloads()).containsExactlyElementsOf(BenchMain.WORKLOADS);
        assertThat(List.of(r.throughput(), r.pickup(), r.idle(), r.load(), r.scaling())).allSatisfy(l -> assertThat(l).hasSize(1));
        assertThat(r.environment().commandLine()).contains("--db-prefix benchsmoke_");

        String md = Files.readString(out.resolve("README.md"));
        for (String section : List.of("## Throughput", "## Pickup latency", "## Database load, idle cluster",
                "## Database load per 10,000 jobs", "## Scaling")) {
            String after = md.substring(md.indexOf(section));
            assertThat(after.lines().filter(l -> l.startsWith("| Earthling |")).findFirst()).as(section).isPresent();
        }
        assertThat(md).containsPattern("Contenders' versions .*: Earthling \\S+, db-scheduler 16\\.12\\.\\d+, JobRunr 8\\.7\\.\\d+")
                .contains("## Targets");
        assertThat(out.resolve("throughput.svg")).content().startsWith("<?xml").contains("<svg");
        assertThat(List.of("pickup-p99.svg", "idle.svg", "scaling.svg")).allSatisfy(f -> assertThat(out.resolve(f)).exists());
    }
}

package io.earthling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The soak end to end, short: a manager and an assistant as processes on their own PostgreSQL database, 20 s at
 * 40 jobs/s of the soak's mix, retention ages of 1 and 2 s. Checks counts only, never a timing: every job finished,
 * every sample was written, and retention then deleted every job with its events and logs.
 */
class SoakSmokeTest {
    static final String DB = "soaksmoke";

    @AfterEach
    void drop_the_soak_database() throws SQLException {
        try (Connection c = DriverManager.getConnection(BenchSmokeTest.PG); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @Test
    void a_short_soak_finishes_every_job_writes_every_sample_and_retention_empties_the_tables(@TempDir Path out)
            throws Exception {
        CommandLine cl = new CommandLine(new BenchMain());
        int exit = cl.execute("soak", "--pg", BenchSmokeTest.PG, "--db", DB, "--rate", "40", "--duration", "20",
                "--sample", "2", "--warm-up", "4", "--window", "6", "--workers", "2", "--retention-succeeded", "1s",
                "--retention-dead", "2s", "--drain-timeout", "60", "--retention-wait", "90", "--out", out.toString());

        assertThat(exit).as("every submitted job finished").isZero();
        Soak.Outcome o = ((Soak) cl.getSubcommands().get("soak").getCommand()).outcome();
        assertThat(o.submitted()).isEqualTo(40 * 20);
        assertThat(o.done()).isEqualTo(o.submitted());
        assertThat(o.duplicates()).isZero();

        List<String> csv = Files.readAllLines(out.resolve("soak.csv"));
        assertThat(csv.get(0)).isEqualTo(SoakRow.header());
        assertThat(csv).hasSize(o.samples() + 1);
        assertThat(o.samples()).isGreaterThanOrEqualTo(20 / 2);
        assertThat(SoakCharts.read(out.resolve("soak.csv"))).hasSize(o.samples());

        assertThat(o.jobsRowsAtEnd()).as("jobs left after retention").isZero();
        assertThat(o.eventsRowsAtEnd()).as("job_events left").isZero();
        assertThat(o.logsRowsAtEnd()).as("job_logs left").isZero();
        assertThat(o.checks()).as("a comparison of the two windows").isNotEmpty();

        assertThat(Files.readString(out.resolve("summary.md"))).contains("| goal |", "## Retention");
        for (String chart : List.of("soak-throughput.svg", "soak-pickup.svg", "soak-heap.svg", "soak-table-size.svg",
                "soak-rows.svg", "soak-load.svg")) {
            assertThat(out.resolve(chart)).content().startsWith("<svg").contains("<polyline");
        }
    }
}

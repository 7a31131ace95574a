package io.earthling.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's short seeded runs: each seed plays every fault kind once (and more while its minute lasts) on two
 * managers and three assistants of real processes, on a fresh PostgreSQL database, then heals and reconciles.
 *
 * <p>Asserted in every run: no acknowledged job lost, no idempotency violation, no illegal transition in
 * {@code job_events}, every gather's sum right; and issue 15's acceptance: no job ended DEAD without running, none
 * stuck after healing, no manager half leading at the end, no (job, attempt) run twice outside the documented
 * windows. With {@code faults.strict} (true by default) also the timing contract: no leaderless episode over the
 * lease TTL + 2 s, no second a manager half led; {@code -Dfaults.strict=false} only reports those, for a machine
 * so loaded that a manager is starved for longer than the lease. {@code -Dfaults.seeds=1,2,3} and
 * {@code -Dfaults.seconds=45} (no fault starts after it, but every kind runs once regardless) choose the runs;
 * every kind includes {@code CLOCK_STEP}, which needs libfaketime ({@code .ci/run} installs it).
 * Reports under {@code target/faults-it/seed-N/}.
 */
class FaultInjectionIT {
    private static final boolean STRICT = Boolean.parseBoolean(System.getProperty("faults.strict", "true"));

    @Test
    void seeded_fault_runs_keep_the_invariants() throws Exception {
        long[] seeds = Arrays.stream(System.getProperty("faults.seeds", "1,2,3").split(","))
                .mapToLong(s -> Long.parseLong(s.strip())).toArray();
        long faultMs = Long.getLong("faults.seconds", 45) * 1_000;
        Path jar = Path.of("..", "earthling-dist", "target", "earthling.jar").toAbsolutePath().normalize();
        assertThat(jar).as("earthling-dist is packaged before this module's ITs").exists();
        Path out = Path.of("target", "faults-it").toAbsolutePath();
        EmbeddedPostgres embedded = null;
        String admin = System.getenv("EARTHLING_PG_URL");
        if (admin == null || admin.isBlank()) {
            embedded = EmbeddedPostgres.start();
            admin = embedded.getJdbcUrl("postgres", "postgres");
        }
        List<RunReport> reports = new ArrayList<>();
        try {
            FaultRun.Settings settings = FaultRun.Settings.defaults(jar, admin, out).withFaultMs(faultMs);
            for (long seed : seeds) {
                RunReport r = FaultRun.run(seed, settings);
                System.out.println(r.text());
                reports.add(r);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        String summary = Summary.markdown(reports, "FaultInjectionIT -Dfaults.seeds="
                + System.getProperty("faults.seeds", "1,2,3") + " -Dfaults.seconds=" + faultMs / 1000);
        Files.writeString(out.resolve("summary.md"), summary);
        System.out.println(summary);
        System.out.println(STRICT ? "faults.strict=true (the default): leaderless episodes and half-leading seconds"
                + " are asserted too" : "faults.strict=false: leaderless episodes over TTL + 2 s and half-leading"
                + " seconds are reported above, not asserted");

        EnumSet<FaultKind> played = EnumSet.noneOf(FaultKind.class);
        reports.forEach(r -> r.faultCounts().keySet().forEach(k -> played.add(FaultKind.valueOf(k))));
        EnumSet<FaultKind> expected = EnumSet.allOf(FaultKind.class);
        if (Clocks.find().isEmpty() && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            // Clock steps need libfaketime (Debian: faketime), which .ci/run installs; outside CI a machine
            // without it runs the other kinds. Found but misbehaving, the steps are skipped and this fails.
            System.out.println("libfaketime not found: CLOCK_STEP not played (apt-get install faketime)");
            expected.remove(FaultKind.CLOCK_STEP);
        }
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(played).as("fault kinds played across the seeds").isEqualTo(expected);
        soft.assertThat(reports.stream().mapToInt(RunReport::gathersChecked).sum())
                .as("acknowledged splits whose gather was checked, across the seeds").isPositive();
        for (RunReport r : reports) {
            String seed = "seed " + r.seed() + " (report: " + out.resolve("seed-" + r.seed()) + ")";
            soft.assertThat(r.submissionsAcked()).as("%s: acknowledged submissions", seed).isPositive();
            soft.assertThat(r.executions()).as("%s: executions seen by the handlers", seed).isPositive();
            soft.assertThat(r.lost()).as("%s: acknowledged jobs lost", seed).isZero();
            soft.assertThat(r.idempotencyViolations()).as("%s: idempotency violations", seed).isZero();
            soft.assertThat(r.illegalTransitions()).as("%s: illegal transitions in job_events", seed).isZero();
            soft.assertThat(r.gathersWrongSum()).as("%s: gathers with a wrong sum", seed).isZero();
            // Issue 15's acceptance: counts of what ended where and ran how often, which no load changes.
            soft.assertThat(r.deadWithoutExecution()).as("%s: jobs ended DEAD without running", seed).isZero();
            soft.assertThat(r.stuck()).as("%s: jobs not final after healing", seed).isZero();
            soft.assertThat(r.halfLeadingAtEnd()).as("%s: managers half leading at the end", seed).isZero();
            soft.assertThat(r.executionsBeyondOneOutsideWindows())
                    .as("%s: executions beyond one per (job, attempt) outside the documented windows", seed).isZero();
            if (STRICT) {
                // The timing contract, on by default: with a standby ready before each leader fault (the harness
                // waits for it) these held in every seed at load 25-30 on the 2-core build machine. A manager
                // starved for longer than the lease still moves them: -Dfaults.strict=false reports them only.
                soft.assertThat(r.leaderlessOverGoal()).as("%s: leaderless episodes over TTL + 2 s", seed).isZero();
                soft.assertThat(r.halfLeadingSeconds()).as("%s: seconds a manager half led", seed).isZero();
            }
        }
        soft.assertAll();
    }
}

package io.earthling.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar earthling-faults/target/earthling-faults.jar [--seeds N] [--first-seed S] [--minutes M]
 * [--pg ADMIN_URL] [--jar earthling.jar] [--out DIR] [--summary FILE] [--ttl-ms T] [--keep-db]}: runs N seeds one
 * after another and writes each run's report under DIR and the Markdown summary to FILE. Exit 0 when every run
 * kept the invariants (nothing acknowledged lost, no idempotency violation, no illegal transition, every gather's
 * sum right), 1 otherwise.
 */
public final class FaultsMain {
    static final String USAGE = """
            java -jar earthling-faults/target/earthling-faults.jar [options]
              --seeds N         runs (5); one after another, seeds S, S+1, ...
              --first-seed S    the first seed (1)
              --minutes M       faults per run (1; decimals allowed); every fault kind plays once per seed even if
                                that takes longer; then healing (up to 90 s) and the reconciliation
              --pg URL          an admin JDBC URL of PostgreSQL (a superuser); each run makes its own database
                                (EARTHLING_PG_URL, else jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres)
              --jar PATH        earthling.jar (earthling-dist/target/earthling.jar)
              --out DIR         reports and logs, DIR/seed-N/ (target/faults)
              --summary FILE    the Markdown summary, rewritten after every run (DIR/summary.md)
              --ttl-ms T        timing.leaseTtlMs of the managers (5000)
              --keep-db         keep each run's database
              --from DIR...     run nothing: summarise the reports (DIR/seed-N/report.json) of earlier runs
              --scenario NAME   run a database scenario instead (pg-restart, unreachable, ...; --help with it)
            Clock steps (CLOCK_STEP) need libfaketime (Debian: apt-get install faketime); without it they are
            skipped and the report says so. Exit 0 when every run kept the invariants, 1 otherwise.
            See docs/reliability.md.
            """;

    private FaultsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--scenario")) {
            ScenariosMain.main(args); // issue 17's database scenarios: see ScenariosMain
            return;
        }
        int seeds = 5;
        long firstSeed = 1;
        double minutes = 1;
        String pg = System.getenv().getOrDefault("EARTHLING_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Path jar = null;
        Path out = Path.of("target", "faults");
        Path summary = null;
        long ttl = 5_000;
        boolean keep = false;
        List<Path> from = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--first-seed" -> firstSeed = Long.parseLong(args[++i]);
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--pg" -> pg = args[++i];
                case "--jar" -> jar = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--summary" -> summary = Path.of(args[++i]);
                case "--ttl-ms" -> ttl = Long.parseLong(args[++i]);
                case "--keep-db" -> keep = true;
                case "--from" -> {
                    // Only summarise: the report.json of every seed-N under the given directories (several
                    // streams of one long run, or one cut short), into --summary.
                    List<Path> dirs = new ArrayList<>();
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        dirs.add(Path.of(args[++i]));
                    }
                    from = dirs;
                }
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> {
                    System.err.println("earthling-faults: unknown argument " + args[i] + "; see the class comment"
                            + " of io.earthling.faults.FaultsMain or docs/reliability.md");
                    System.exit(2);
                }
            }
        }
        summary = summary != null ? summary : out.resolve("summary.md");
        if (from != null) {
            summarise(from, summary);
            return;
        }
        jar = jar != null ? jar : findJar();
        FaultRun.Settings s = new FaultRun.Settings(jar.toAbsolutePath(), pg, out, (long) (minutes * 60_000), 90_000,
                ttl, 3, 3, keep);
        List<RunReport> reports = new ArrayList<>();
        boolean ok = true;
        String command = "earthling-faults --seeds " + seeds + " --first-seed " + firstSeed + " --minutes " + minutes
                + " --ttl-ms " + ttl;
        List<String> failed = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            try {
                RunReport r = FaultRun.run(seed, s);
                System.out.println(r.text());
                reports.add(r);
                ok &= r.invariantsHold();
            } catch (Exception e) {
                // e.g. a cluster that did not come up: counted, listed, and the next seed runs
                System.out.println("Seed " + seed + " did not complete: " + e);
                failed.add(seed + ": " + e.getMessage());
                ok = false;
            }
            Files.createDirectories(summary.toAbsolutePath().getParent());
            // After each run: a long run can be cut short.
            Files.writeString(summary, Summary.markdown(reports, command, failed));
        }
        System.out.println("Summary: " + summary.toAbsolutePath());
        System.exit(ok ? 0 : 1);
    }

    private static void summarise(List<Path> dirs, Path summary) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<RunReport> reports = new ArrayList<>();
        for (Path dir : dirs) {
            try (java.util.stream.Stream<Path> seeds = Files.list(dir)) {
                for (Path report : seeds.map(d -> d.resolve("report.json")).filter(Files::isRegularFile).toList()) {
                    reports.add(json.readValue(report.toFile(), RunReport.class));
                }
            }
        }
        reports.sort(java.util.Comparator.comparingLong(RunReport::seed));
        Files.writeString(summary, Summary.markdown(reports, "earthling-faults --from " + dirs));
        System.out.println(reports.size() + " runs summarised in " + summary.toAbsolutePath());
    }

    static Path findJar() {
        for (Path p : List.of(Path.of("earthling-dist", "target", "earthling.jar"),
                Path.of("..", "earthling-dist", "target", "earthling.jar"), Path.of("earthling.jar"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("earthling.jar not found; build it (./mvnw -pl earthling-dist -am package"
                + " -DskipTests) or pass --jar");
    }
}

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
    private FaultsMain() {
    }

    public static void main(String[] args) throws Exception {
        int seeds = 5;
        long firstSeed = 1;
        double minutes = 1;
        String pg = System.getenv().getOrDefault("EARTHLING_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Path jar = null;
        Path out = Path.of("target", "faults");
        Path summary = null;
        long ttl = 5_000;
        boolean keep = false;
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
                default -> {
                    System.err.println("earthling-faults: unknown argument " + args[i] + "; see the class comment"
                            + " of io.earthling.faults.FaultsMain or docs/reliability.md");
                    System.exit(2);
                }
            }
        }
        jar = jar != null ? jar : findJar();
        summary = summary != null ? summary : out.resolve("summary.md");
        FaultRun.Settings s = new FaultRun.Settings(jar.toAbsolutePath(), pg, out, (long) (minutes * 60_000), 90_000,
                ttl, 3, 3, keep);
        List<RunReport> reports = new ArrayList<>();
        boolean ok = true;
        String command = "earthling-faults --seeds " + seeds + " --first-seed " + firstSeed + " --minutes " + minutes
                + " --ttl-ms " + ttl;
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            RunReport r = FaultRun.run(seed, s);
            System.out.println(r.text());
            reports.add(r);
            ok &= r.invariantsHold();
            Files.createDirectories(summary.toAbsolutePath().getParent());
            Files.writeString(summary, Summary.markdown(reports, command)); // after each run: a long run can be cut short
        }
        System.out.println("Summary: " + summary.toAbsolutePath());
        System.exit(ok ? 0 : 1);
    }

    private static Path findJar() {
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

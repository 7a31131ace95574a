package io.earthling.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code earthling-bench}: every contender on the same PostgreSQL, one after another, same workload. */
@Command(name = "earthling-bench", mixinStandardHelpOptions = true,
        description = "Runs Earthling, the polling baseline and the Java peers side by side and writes a report.")
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--pg", description = "JDBC URL of any database on the PostgreSQL server to use "
            + "(default: $EARTHLING_PG_URL or jdbc:postgresql://127.0.0.1:5432/test?user=postgres)")
    String pg = System.getenv().getOrDefault("EARTHLING_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @Option(names = "--contenders", split = ",", description = "which to run (default: all)")
    List<String> contenders = Contenders.ids();

    @Option(names = "--jobs", description = "jobs in the throughput run (default: ${DEFAULT-VALUE})")
    int jobs = 100_000;

    @Option(names = "--batch", description = "jobs per submit batch (default: ${DEFAULT-VALUE})")
    int batch = 1_000;

    @Option(names = "--workers", description = "worker slots per contender (default: ${DEFAULT-VALUE})")
    int workers = 4;

    @Option(names = "--timeout", description = "seconds a run may take before it is reported incomplete (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 600;

    @Option(names = "--out", description = "report directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs", "benchmarks");

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PgAdmin admin = new PgAdmin(pg);
        Path scratch = Files.createDirectories(Path.of("target", "bench-scratch"));
        List<Throughput.Result> results = new ArrayList<>();
        for (String id : contenders) {
            var factory = Contenders.all().get(id);
            if (factory == null) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--contenders: unknown '" + id + "' (known: " + String.join(", ", Contenders.ids()) + ")");
            }
            String db = "bench_" + id.replaceAll("[^a-z0-9]", "_");
            try (Recorder r = new Recorder(jobs); Contender c = factory.get()) {
                Path dir = Files.createDirectories(scratch.resolve(id));
                c.start(new BenchEnv(admin.fresh(db), db, dir, r.address()), workers, new BenchJob(0));
                Throughput.Result res = Throughput.run(c, r, jobs, batch, timeoutSeconds);
                System.out.printf("%-40s %8d jobs %8.2f s %10.0f jobs/s%s%n", res.contender(), res.jobs(), res.seconds(),
                        res.jobsPerSecond(), res.complete() ? "" : " (INCOMPLETE)");
                results.add(res);
            }
        }
        return results.stream().allMatch(Throughput.Result::complete) ? 0 : 1;
    }
}

package io.earthling.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earthling-bench}: every contender on the same PostgreSQL, one after another, same workloads. */
@Command(name = "earthling-bench", mixinStandardHelpOptions = true, subcommands = Soak.class,
        description = "Runs Earthling, the polling baseline and the Java peers side by side and writes a report.")
public final class BenchMain implements Callable<Integer> {
    static final List<String> WORKLOADS = List.of("throughput", "pickup", "idle", "load", "scaling");

    @Spec
    CommandSpec spec;

    @Option(names = "--pg", description = "JDBC URL of any database on the PostgreSQL server to use "
            + "(default: $EARTHLING_PG_URL or jdbc:postgresql://127.0.0.1:5432/test?user=postgres)")
    String pg = System.getenv().getOrDefault("EARTHLING_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @Option(names = "--contenders", split = ",", description = "which to run (default: all)")
    List<String> contenders = Contenders.ids();

    @Option(names = "--workloads", split = ",", description = "any of throughput,pickup,idle,load,scaling (default: all)")
    List<String> workloads = WORKLOADS;

    @Option(names = "--jobs", description = "jobs in the throughput run (default: ${DEFAULT-VALUE})")
    int jobs = 100_000;

    @Option(names = "--load-jobs", description = "jobs in the run the database load is measured around; "
            + "equal to --jobs: the throughput run itself (default: ${DEFAULT-VALUE})")
    int loadJobs = 10_000;

    @Option(names = "--batch", description = "jobs per submit batch (default: ${DEFAULT-VALUE})")
    int batch = 1_000;

    @Option(names = "--warm-up", description = "throughput, load and pickup: jobs run first and not measured, so that "
            + "every contender's JIT, pools and caches are warm (default: ${DEFAULT-VALUE})")
    int warmUp = 20_000;

    @Option(names = "--workers", description = "worker slots for throughput, load and pickup (default: ${DEFAULT-VALUE})")
    int workers = 4;

    @Option(names = "--rates", split = ",", description = "pickup: submit rates, jobs/s (default: 100,1000,5000)")
    List<Integer> rates = List.of(100, 1_000, 5_000);

    @Option(names = "--pickup-seconds", description = "pickup: seconds of submitting per rate (default: ${DEFAULT-VALUE})")
    double pickupSeconds = 20;

    @Option(names = "--idle-workers", split = ",", description = "idle: worker slots (default: 4,16,64)")
    List<Integer> idleWorkers = List.of(4, 16, 64);

    @Option(names = "--idle-seconds", description = "idle: measured window, seconds (default: ${DEFAULT-VALUE})")
    double idleSeconds = 60;

    @Option(names = "--settle-seconds", description = "idle, load, pickup: wait after start before measuring; "
            + "11 s outlasts PostgreSQL's delayed stats flush of start-up work (default: ${DEFAULT-VALUE})")
    double settleSeconds = 11;

    @Option(names = "--flush-seconds", description = "load: wait after the run for its stats to reach pg_stat_database "
            + "(default: ${DEFAULT-VALUE})")
    double flushSeconds = PgStats.FLUSH_SECONDS;

    @Option(names = "--scaling-workers", split = ",", description = "scaling: worker slots (default: 1,2,4,8)")
    List<Integer> scalingWorkers = List.of(1, 2, 4, 8);

    @Option(names = "--scaling-jobs", description = "scaling: jobs per run (default: ${DEFAULT-VALUE})")
    int scalingJobs = 2_000;

    @Option(names = "--scaling-cpu-ms", description = "scaling: CPU ms per job (default: ${DEFAULT-VALUE})")
    int scalingCpuMs = 20;

    @Option(names = "--db-prefix", description = "prefix of the contenders' databases (default: ${DEFAULT-VALUE})")
    String dbPrefix = "bench_";

    @Option(names = "--timeout", description = "seconds a run may take before it is reported incomplete (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 600;

    @Option(names = "--out", description = "report directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs", "benchmarks");

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Option(names = "--report-only", description = "write README.md and the charts again from <out>/results.json, run nothing")
    boolean reportOnly;

    @Override
    public Integer call() throws Exception {
        if (reportOnly) {
            Results r = Results.read(out.resolve("results.json"));
            Report.write(out, r, Charts.write(out, r));
            System.out.println("report: " + out.resolve("README.md"));
            return 0;
        }
        validate();
        Stage stage = new Stage(new PgAdmin(pg), dbPrefix, Files.createDirectories(Path.of("target", "bench-scratch")));
        Files.createDirectories(out);
        try (PgStats stats = new PgStats(pg)) {
            Results r = Results.empty(Environment.capture(commandLine(), stats), workloads);
            for (String id : contenders) {
                runContender(stage, stats, id, Contenders.all().get(id), r);
            }
            r.write(out.resolve("results.json"));
            Report.write(out, r, Charts.write(out, r));
            System.out.println("report: " + out.resolve("README.md"));
            return r.complete() ? 0 : 1;
        }
    }

    private void runContender(Stage stage, PgStats stats, String id, Supplier<Contender> f, Results r)
            throws Exception {
        boolean throughput = workloads.contains("throughput");
        boolean load = workloads.contains("load");
        if (throughput && load && jobs == loadJobs) {
            throughputRun(stage, stats, id, f, r, jobs, true, true);
        } else {
            if (throughput) {
                throughputRun(stage, stats, id, f, r, jobs, true, false);
            }
            if (load) {
                throughputRun(stage, stats, id, f, r, loadJobs, false, true);
            }
        }
        if (workloads.contains("pickup")) {
            int keys = rates.stream().mapToInt(rate -> PickupLatency.jobsAt(rate, pickupSeconds)).sum();
            try (Stage.Run run = stage.start(id, f, workers, new BenchJob(0), keys + warmUp)) {
                Throughput.warmUp(run.contender(), run.recorder(), keys, warmUp, batch, timeoutSeconds);
                PgStats.sleepSeconds(settleSeconds);
                PickupLatency.run(run.contender(), run.recorder(), rates, pickupSeconds, warmUp, timeoutSeconds)
                        .forEach(p -> r.pickup().add(print(p)));
            }
        }
        if (workloads.contains("idle")) {
            IdleLoad.run(stage, stats, id, f, idleWorkers, settleSeconds, idleSeconds)
                    .forEach(i -> r.idle().add(print(i)));
        }
        if (workloads.contains("scaling")) {
            Scaling.run(stage, id, f, scalingWorkers, scalingJobs, batch, scalingCpuMs,
                    Runtime.getRuntime().availableProcessors(), timeoutSeconds).forEach(s -> r.scaling().add(print(s)));
        }
    }

    private void throughputRun(Stage stage, PgStats stats, String id, Supplier<Contender> f, Results r, int n,
            boolean keepThroughput, boolean measureLoad) throws Exception {
        try (Stage.Run run = stage.start(id, f, workers, new BenchJob(0), n + warmUp)) {
            Throughput.warmUp(run.contender(), run.recorder(), n, warmUp, batch, timeoutSeconds);
            Throughput.Result[] t = new Throughput.Result[1];
            LoadPerJobs.ThrowingRunnable go = () -> t[0] = Throughput.run(run.contender(), run.recorder(), n, warmUp,
                    batch, timeoutSeconds);
            if (measureLoad) {
                PgStats.sleepSeconds(settleSeconds);
                r.load().add(print(LoadPerJobs.measure(stats, run.database(), run.contender().name(), n, flushSeconds, go)));
            } else {
                go.run();
            }
            if (keepThroughput) {
                r.throughput().add(print(t[0]));
            }
        }
    }

    private static <T> T print(T result) {
        System.out.println(result);
        return result;
    }

    private void validate() {
        for (String id : contenders) {
            if (!Contenders.all().containsKey(id)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--contenders: unknown '" + id + "' (known: " + String.join(", ", Contenders.ids()) + ")");
            }
        }
        for (String w : workloads) {
            if (!WORKLOADS.contains(w)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--workloads: unknown '" + w + "' (known: " + String.join(",", WORKLOADS) + ")");
            }
        }
        if (!dbPrefix.matches("[a-z_][a-z0-9_]*")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--db-prefix: lower-case letters, digits and _");
        }
    }

    private String commandLine() {
        return "earthling-bench " + spec.commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.matches("[A-Za-z0-9_./:,=@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}

package io.earthling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** {@code README.md}: where it ran, then one table per workload with a row per contender, and the charts. */
final class Report {
    private final StringBuilder md = new StringBuilder();

    static void write(Path out, Results r, List<String> charts) throws IOException {
        Files.writeString(out.resolve("README.md"), new Report().render(r, charts));
    }

    private String render(Results r, List<String> charts) {
        Environment e = r.environment();
        md.append("# Earthling benchmarks\n\n");
        md.append("- Date: ").append(e.date()).append('\n');
        md.append("- Machine: ").append(e.cores()).append(" cores, ").append(e.cpuModel()).append(", ")
                .append(e.memory()).append(" memory\n");
        md.append("- OS: ").append(e.os()).append('\n');
        md.append("- Java: ").append(e.java()).append('\n');
        md.append("- PostgreSQL: ").append(e.postgres().get("version")).append('\n');
        md.append("- Contenders' versions (this build of the bench): ").append(versions()).append('\n');
        md.append("- PostgreSQL settings: ");
        e.postgres().entrySet().stream().filter(s -> !s.getKey().equals("version"))
                .forEach(s -> md.append('`').append(s.getKey()).append(" = ")
                        .append(s.getValue().isEmpty() ? "''" : s.getValue()).append("` "));
        md.append("\n- Command: `").append(e.commandLine()).append("`\n");
        if (!e.statementsAvailable()) {
            md.append("- Statements: n/a, `pg_stat_statements` is not preloaded "
                    + "(see `earthling-bench/bin/enable-pg-stat-statements`)\n");
        }
        md.append('\n');
        md.append("## Targets\n\nThe benchmark issue's targets, judged from this run for Earthling as shipped (the "
                + "\"Earthling\" rows below); the best peer is the fastest of db-scheduler and JobRunr.\n\n"
                + "| target | Earthling | against | verdict |\n|---|---|---|---|\n");
        Targets.rows(r).forEach(row -> md.append(row).append('\n'));
        md.append('\n');
        section("Throughput", "No-op jobs submitted in batches; completed jobs/s from the first submit to the last end.",
                r.throughput(), "| contender | jobs | seconds | jobs/s | duplicate runs | complete |",
                t -> row(t.contender(), t.jobs(), f(t.seconds(), 2), f(t.jobsPerSecond(), 0), t.duplicates(), t.complete()));
        section("Pickup latency", "Jobs submitted at a fixed rate in 10 ms batches; from the batch's commit to the "
                + "handler's start. Commit columns: how long one submit batch took.", r.pickup(),
                "| contender | rate/s | jobs | achieved/s | p50 ms | p99 ms | max ms | commit p50 ms | commit p99 ms | complete |",
                p -> row(p.contender(), p.rate(), p.jobs(), f(p.achievedRate(), 0), f(p.p50Ms(), 1), f(p.p99Ms(), 1),
                        f(p.maxMs(), 1), f(p.commitP50Ms(), 1), f(p.commitP99Ms(), 1), p.complete()));
        section("Database load, idle cluster", "No jobs; W worker slots; after the contender settled. "
                + "PG CPU: all PostgreSQL processes, % of one core.", r.idle(),
                "| contender | W | window s | transactions/s | statements/s | PG CPU % |",
                i -> row(i.contender(), i.workers(), f(i.seconds(), 1), f(i.xactsPerSecond(), 2),
                        f(i.statementsPerSecond(), 2), f(i.pgCpuPercent(), 2)));
        section("Database load per 10,000 jobs", "Around a throughput run, until every count was flushed "
                + "(the wait's idle traffic included), scaled to 10,000 jobs.", r.load(),
                "| contender | jobs | window s | transactions | statements | PG CPU s | transactions/job | statements/job |",
                l -> row(l.contender(), l.jobs(), f(l.seconds(), 1), f(l.xactsPer10k(), 0), f(l.statementsPer10k(), 0),
                        f(l.pgCpuSecondsPer10k(), 2), f(l.xactsPerJob(), 2), f(l.statementsPerJob(), 2)));
        section("Scaling", "CPU-bound jobs; ideal = min(W, cores) × 1000 / job CPU ms jobs/s.", r.scaling(),
                "| contender | W | jobs | jobs/s | ideal jobs/s | efficiency | complete |",
                s -> row(s.contender(), s.workers(), s.jobs(), f(s.jobsPerSecond(), 1), f(s.idealPerSecond(), 0),
                        f(100 * s.efficiency(), 0) + " %", s.complete()));
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            charts.forEach(c -> md.append("![").append(c).append("](").append(c).append(")\n\n"));
        }
        return md.toString();
    }

    /** "Earthling X, db-scheduler Y, JobRunr Z", as Maven wrote them into the bench's resources. */
    static String versions() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Report.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // named "unknown" below
        }
        return "Earthling " + p.getProperty("earthling", "unknown") + ", db-scheduler "
                + p.getProperty("db-scheduler", "unknown") + ", JobRunr " + p.getProperty("jobrunr", "unknown");
    }

    private <T> void section(String title, String what, List<T> rows, String header, Function<T, String> row) {
        if (rows.isEmpty()) {
            return;
        }
        md.append("## ").append(title).append("\n\n").append(what).append("\n\n").append(header).append('\n');
        md.append(header.replaceAll("[^|]+", "---")).append('\n');
        rows.forEach(x -> md.append(row.apply(x)).append('\n'));
        md.append('\n');
    }

    private static String row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c instanceof Boolean ok ? (ok ? "yes" : "**INCOMPLETE**") : c).append(" |");
        }
        return b.toString();
    }

    /** A number with {@code digits} decimals; "n/a" for a measurement that could not be made. */
    static String f(Double v, int digits) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%,." + digits + "f", v);
    }
}

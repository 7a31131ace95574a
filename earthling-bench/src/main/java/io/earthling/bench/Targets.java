package io.earthling.bench;

import static io.earthling.bench.Report.f;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The benchmark issue's targets, each judged from this run's results for Earthling as shipped (the contender named
 * "Earthling"): met, not met, or not measured when the run left out what it needs.
 */
final class Targets {
    static final String EARTHLING = "Earthling";

    private Targets() {
    }

    /** Rows of "| target | Earthling | against | verdict |". */
    static List<String> rows(Results r) {
        List<String> rows = new ArrayList<>();
        Optional<Throughput.Result> own = r.throughput().stream().filter(t -> t.contender().equals(EARTHLING)).findFirst();
        Optional<Throughput.Result> peer = r.throughput().stream().filter(t -> isPeer(t.contender()))
                .max(Comparator.comparingDouble(Throughput.Result::jobsPerSecond));
        rows.add(own.map(t -> row("≥ 20,000 no-op jobs/s and ≥ 3× the best peer", f(t.jobsPerSecond(), 0) + " jobs/s",
                peer.map(p -> p.contender() + ": " + f(p.jobsPerSecond(), 0) + " (" + f(t.jobsPerSecond() / p.jobsPerSecond(), 1)
                        + "×)").orElse("no peer ran"),
                t.jobsPerSecond() >= 20_000 && peer.map(p -> t.jobsPerSecond() >= 3 * p.jobsPerSecond()).orElse(false)))
                .orElse(notMeasured("≥ 20,000 no-op jobs/s and ≥ 3× the best peer")));
        rows.add(r.pickup().stream().filter(p -> p.contender().equals(EARTHLING) && p.rate() == 1000).findFirst()
                .map(p -> row("pickup p99 ≤ 10 ms at 1,000 jobs/s", "p99 " + f(p.p99Ms(), 1) + " ms", "",
                        p.complete() && p.p99Ms() <= 10))
                .orElse(notMeasured("pickup p99 ≤ 10 ms at 1,000 jobs/s")));
        List<IdleLoad.Result> idle = r.idle().stream().filter(i -> i.contender().equals(EARTHLING)).toList();
        rows.add(idle.isEmpty() || idle.stream().anyMatch(i -> i.statementsPerSecond() == null)
                ? notMeasured("idle statements ≤ 1/s at every W")
                : row("idle statements ≤ 1/s at every W", idle.stream().map(i -> "W=" + i.workers() + ": "
                        + f(i.statementsPerSecond(), 2)).reduce((a, b) -> a + ", " + b).orElse(""), pollingIdle(r),
                        idle.stream().allMatch(i -> i.statementsPerSecond() <= 1)));
        Optional<LoadPerJobs.Result> load = r.load().stream().filter(l -> l.contender().equals(EARTHLING)).findFirst();
        rows.add(load.map(l -> row("≤ 0.2 transactions per job under load", f(l.xactsPerJob(), 3), "",
                l.xactsPerJob() <= 0.2)).orElse(notMeasured("≤ 0.2 transactions per job under load")));
        Optional<LoadPerJobs.Result> polling = r.load().stream()
                .filter(l -> l.contender().startsWith("polling") && l.pgCpuSecondsPer10k() != null)
                .min(Comparator.comparingDouble(LoadPerJobs.Result::pgCpuSecondsPer10k));
        rows.add(load.filter(l -> l.pgCpuSecondsPer10k() != null && polling.isPresent())
                .map(l -> row("PostgreSQL CPU per 10,000 jobs ≥ 10× lower than polling", f(l.pgCpuSecondsPer10k(), 2) + " s",
                        polling.get().contender() + ": " + f(polling.get().pgCpuSecondsPer10k(), 2) + " s ("
                                + f(polling.get().pgCpuSecondsPer10k() / l.pgCpuSecondsPer10k(), 1) + "× lower)",
                        l.pgCpuSecondsPer10k() * 10 <= polling.get().pgCpuSecondsPer10k()))
                .orElse(notMeasured("PostgreSQL CPU per 10,000 jobs ≥ 10× lower than polling")));
        return rows;
    }

    private static boolean isPeer(String contender) {
        return !contender.startsWith(EARTHLING) && !contender.startsWith("polling");
    }

    private static String pollingIdle(Results r) {
        return r.idle().stream().filter(i -> i.contender().startsWith("polling") && i.statementsPerSecond() != null)
                .map(i -> i.contender() + " W=" + i.workers() + ": " + f(i.statementsPerSecond(), 0))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String row(String target, String earthling, String against, boolean met) {
        return "| " + target + " | " + earthling + " | " + against + " | " + (met ? "met" : "**not met**") + " |";
    }

    private static String notMeasured(String target) {
        return "| " + target + " | | | not measured in this run |";
    }
}

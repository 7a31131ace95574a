package io.earthling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TargetsTest {
    private final Results results = Results.empty(new Environment("now", "bench", 2, "cpu", "1 GiB", "os", "java",
            Map.of(), true, true), BenchMain.WORKLOADS);

    @Test
    void throughput_is_met_only_at_twenty_thousand_jobs_a_second_and_three_times_the_best_peer() {
        results.throughput().add(throughput("Earthling", 21_000));
        results.throughput().add(throughput("polling (100 ms)", 9_000));
        results.throughput().add(throughput("db-scheduler (fetch, 100 ms)", 8_000));

        assertThat(row("no-op jobs/s")).contains("db-scheduler (fetch, 100 ms): 8,000 (2.6×)").endsWith("| **not met** |");

        results.throughput().set(2, throughput("db-scheduler (fetch, 100 ms)", 7_000));
        assertThat(row("no-op jobs/s")).as("the polling baseline is not a peer").endsWith("| met |");
    }

    @Test
    void database_cpu_is_compared_with_the_thriftier_polling_run() {
        results.load().add(load("Earthling", 0.35));
        results.load().add(load("polling (100 ms)", 5.0));
        results.load().add(load("polling (1 s)", 3.4));

        assertThat(row("PostgreSQL CPU")).contains("polling (1 s): 3.40 s (9.7× lower)").endsWith("| **not met** |");
        assertThat(row("transactions per job")).endsWith("| met |");
    }

    @Test
    void a_target_whose_workload_did_not_run_is_not_measured() {
        assertThat(Targets.rows(results)).allSatisfy(r -> assertThat(r).endsWith("| not measured in this run |"));
    }

    @Test
    void pickup_and_idle_statements_are_judged_for_earthling_as_shipped() {
        results.pickup().add(new PickupLatency.Result("Earthling", 1000, 10_000, 1000, 0.4, 9.5, 40, 4, 18, 10_000, true));
        results.pickup().add(new PickupLatency.Result("Earthling (prefetch 16)", 1000, 10_000, 1000, 0.4, 90, 140, 4, 18, 10_000, true));
        results.idle().add(new IdleLoad.Result("Earthling", 4, 60, 0.4, 0.5, 0.1));
        results.idle().add(new IdleLoad.Result("Earthling", 64, 60, 0.4, 1.2, 0.1));

        assertThat(row("pickup")).contains("p99 9.5 ms").endsWith("| met |");
        assertThat(row("idle statements")).contains("W=4: 0.50, W=64: 1.20").endsWith("| **not met** |");
    }

    private String row(String target) {
        return Targets.rows(results).stream().filter(r -> r.contains(target)).findFirst().orElseThrow();
    }

    private static Throughput.Result throughput(String contender, double perSecond) {
        return new Throughput.Result(contender, 100_000, 100_000 / perSecond, perSecond, 0, true);
    }

    private static LoadPerJobs.Result load(String contender, double pgCpuPer10k) {
        return new LoadPerJobs.Result(contender, 10_000, 20, 180, 700L, pgCpuPer10k, 180, 700.0, pgCpuPer10k, 0.018, 0.07);
    }
}

package io.earthling.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseStatsTest {
    @Test
    void the_quantile_is_the_nearest_rank_and_minus_one_when_nothing_was_seen() {
        assertThat(PhaseStats.quantile(List.of(), 0.99)).isEqualTo(-1);
        assertThat(PhaseStats.quantile(List.of(5L), 0.99)).isEqualTo(5);
        List<Long> hundred = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(PhaseStats.quantile(hundred, 0.5)).isEqualTo(50);
        assertThat(PhaseStats.quantile(hundred, 0.99)).isEqualTo(99);
    }

    @Test
    void a_phase_counts_only_what_started_in_it() {
        PhaseStats.Window w = new PhaseStats.Window("during", 1_000, 3_000);
        List<SteadyLoad.Call> calls = List.of(new SteadyLoad.Call(500, 10, "OK", 5, null),
                new SteadyLoad.Call(1_000, 40, "OK", 5, null), new SteadyLoad.Call(2_000, 9_000, "UNAVAILABLE", 5,
                        "UNAVAILABLE: not now: lost the database at jdbc:postgresql://h:5432/d?a=b: FATAL 57; retry shortly"));
        List<PhaseStats.JobTimes> jobs = List.of(new PhaseStats.JobTimes(1_000, 1_100, 1_200),
                new PhaseStats.JobTimes(1_000, -1, -1), new PhaseStats.JobTimes(500, 600, 3_000));
        List<PhaseStats.Sample> samples = List.of(new PhaseStats.Sample(1_500, 64L << 20, 7, 10, 2, 8_192, 1, 4_096, 1),
                new PhaseStats.Sample(2_500, 32L << 20, 3, -1, -1, -1, -1, -1, -1));

        ScenarioReport.Phase p = PhaseStats.phase(w, calls, jobs, samples);

        assertThat(p.answers()).containsEntry("OK", 1).containsEntry("UNAVAILABLE", 1).hasSize(2);
        assertThat(p.jobsAcked()).isEqualTo(5);
        assertThat(p.refusals()).containsOnlyKeys("UNAVAILABLE: not now: lost the database at DB FATAL N; retry shortly");
        assertThat(p.finishedPerS()).isEqualTo(0.5); // one job ended in 2 s; the one ending at 3,000 is the next's
        assertThat(p.pickupP99Ms()).isEqualTo(100);
        assertThat(p.submitP99Ms()).isEqualTo(9_000);
        assertThat(p.heapMaxMb()).isEqualTo(64);
        assertThat(p.backlogMax()).isEqualTo(7);
        assertThat(p.jobsDead()).as("the last sample the database answered").isEqualTo(2);
        assertThat(p.jobsKb()).isEqualTo(8);
    }

    @Test
    void the_heap_is_the_sum_of_the_heap_pools_in_the_prometheus_text() {
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1.048576E7
                jvm_memory_used_bytes{area="heap",id="Eden Space"} 2097152.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                """;
        assertThat(PhaseStats.heapBytes(text)).isEqualTo(12_582_912L);
        assertThat(PhaseStats.heapBytes("")).isEqualTo(-1);
    }
}

package io.earthling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SoakSummaryTest {

    private static SoakRow row(double t, double completed, double managerAfterGc, long jobsRows, double jobsMb) {
        return new SoakRow(t, 1, completed, completed, 0, 1, 5, 9, 40, managerAfterGc, 30, 12, 100, jobsRows,
                jobsRows * 3, jobsRows / 10, jobsMb, jobsMb, jobsMb / 10, 0, 0, 0, 0);
    }

    private static Map<String, SoakSummary.Check> byName(List<SoakSummary.Check> checks) {
        return checks.stream().collect(Collectors.toMap(SoakSummary.Check::what, Function.identity()));
    }

    @Test
    void a_window_holds_the_samples_after_its_start_up_to_and_including_its_end() {
        List<SoakRow> rows = List.of(row(10, 1, 1, 1, 1), row(20, 1, 1, 1, 1), row(30, 1, 1, 1, 1));
        assertThat(SoakSummary.window(rows, 10, 30)).extracting(SoakRow::tSeconds).containsExactly(20.0, 30.0);
    }

    @Test
    void a_steady_run_meets_every_goal() {
        List<SoakRow> first = List.of(row(10, 400, 20, 120_000, 50), row(20, 402, 21, 121_000, 51));
        List<SoakRow> last = List.of(row(100, 398, 21, 119_500, 52), row(110, 401, 22, 120_500, 51));
        assertThat(SoakSummary.checks(first, last, 20, 21)).allSatisfy(c -> assertThat(c.pass()).as(c.what()).isTrue());
    }

    @Test
    void tables_that_keep_growing_fail_the_flat_size_goal() {
        List<SoakRow> first = List.of(row(10, 400, 20, 100_000, 50));
        List<SoakRow> last = List.of(row(100, 400, 20, 130_000, 65));
        Map<String, SoakSummary.Check> c = byName(SoakSummary.checks(first, last, 20, 20));
        assertThat(c.get("jobs, rows (mean)").pass()).isFalse();
        assertThat(c.get("jobs, MB with indexes (mean)").pass()).isFalse();
        assertThat(c.get("jobs, rows (mean)").change()).isCloseTo(0.30, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void a_lower_p99_at_the_end_passes_and_a_higher_one_by_more_than_ten_percent_fails() {
        List<SoakRow> w = List.of(row(10, 400, 20, 1, 1));
        assertThat(byName(SoakSummary.checks(w, w, 20, 5)).get("pickup p99, ms (all jobs of the window)").pass()).isTrue();
        assertThat(byName(SoakSummary.checks(w, w, 20, 22.5)).get("pickup p99, ms (all jobs of the window)").pass())
                .isFalse();
    }

    @Test
    void the_heap_floor_may_rise_by_five_megabytes_but_not_more_when_ten_percent_is_less() {
        List<SoakRow> first = List.of(row(10, 400, 20, 1, 1), row(20, 400, 30, 1, 1));
        List<SoakRow> fine = List.of(row(100, 400, 24.9, 1, 1));
        List<SoakRow> leak = List.of(row(100, 400, 25.1, 1, 1));
        String heap = "manager heap after GC, MB (floor)";
        assertThat(byName(SoakSummary.checks(first, fine, 1, 1)).get(heap).pass()).isTrue();
        assertThat(byName(SoakSummary.checks(first, leak, 1, 1)).get(heap).pass()).isFalse();
    }

    @Test
    void the_table_marks_a_missed_goal_in_bold() {
        List<SoakSummary.Check> checks = new ArrayList<>(SoakSummary.checks(List.of(row(10, 400, 20, 1, 1)),
                List.of(row(100, 200, 20, 1, 1)), 1, 1));
        assertThat(SoakSummary.table(checks)).contains("| throughput, completed jobs/s (mean) | 400.0 | 200.0 | -50.0 % "
                + "| within 10 % | **FAIL** |");
    }

    @Test
    void a_csv_line_reads_back_as_the_same_sample() {
        SoakRow r = new SoakRow(3600, 2.5, 400, 399.9, 12, 1.25, 20.5, 80, 40.5, 18, 30, 12, 120.5, 120_000,
                480_000, 12_000, 55.5, 90.25, 3.5, 1000, 2000, 30, 0);
        assertThat(SoakRow.parse(r.csv())).isEqualTo(r);
        assertThat(SoakRow.header().split(",")).hasSize(r.csv().split(",").length);
    }
}

package io.earthling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdict: the first window after warm-up against the last window of the run, on the goals of issue #17
 * (throughput and pickup p99 within 10 %, heap and table sizes flat), and retention (no job kept past its age plus a
 * pass). A plain object over the samples, so it is tested without a cluster.
 *
 * <p>"Flat" is: the last window's mean within 10 % of the first's. Heap is judged on the least heap a collection
 * left in each window (its floor; garbage not yet collected does not count), within 10 % or 5 MB, whichever is more:
 * a few MB of JIT and class data settle over an hour without being a leak.
 */
final class SoakSummary {
    static final double TOLERANCE = 0.10;
    static final double HEAP_SLACK_MB = 5;

    /** One goal: the two windows' figures and whether the last stays within the tolerance. */
    record Check(String what, double first, double last, boolean pass, String rule) {
        double change() {
            return first == 0 ? (last == 0 ? 0 : Double.POSITIVE_INFINITY) : last / first - 1;
        }
    }

    /** Rows with {@code from < t <= to}. */
    static List<SoakRow> window(List<SoakRow> rows, double from, double to) {
        return rows.stream().filter(r -> r.tSeconds() > from && r.tSeconds() <= to).toList();
    }

    static double mean(List<SoakRow> rows, ToDoubleFunction<SoakRow> f) {
        return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    static double min(List<SoakRow> rows, ToDoubleFunction<SoakRow> f) {
        return rows.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    /**
     * {@code p99First} / {@code p99Last}: pickup p99 over every job submitted in each window (not a mean of the
     * samples' p99s).
     */
    static List<Check> checks(List<SoakRow> first, List<SoakRow> last, double p99First, double p99Last) {
        List<Check> out = new ArrayList<>();
        out.add(within("throughput, completed jobs/s (mean)", mean(first, SoakRow::completedPerS),
                mean(last, SoakRow::completedPerS)));
        out.add(new Check("pickup p99, ms (all jobs of the window)", p99First, p99Last,
                p99Last <= p99First * (1 + TOLERANCE), "at most 10 % higher"));
        out.add(heap("manager heap after GC, MB (floor)", min(first, SoakRow::managerAfterGcMb),
                min(last, SoakRow::managerAfterGcMb)));
        out.add(heap("assistant heap after GC, MB (floor)", min(first, SoakRow::assistantAfterGcMb),
                min(last, SoakRow::assistantAfterGcMb)));
        out.add(within("jobs, MB with indexes (mean)", mean(first, SoakRow::jobsMb), mean(last, SoakRow::jobsMb)));
        out.add(within("job_events, MB with indexes (mean)", mean(first, SoakRow::eventsMb),
                mean(last, SoakRow::eventsMb)));
        out.add(within("job_logs, MB with indexes (mean)", mean(first, SoakRow::logsMb), mean(last, SoakRow::logsMb)));
        out.add(within("jobs, rows (mean)", mean(first, SoakRow::jobsRows), mean(last, SoakRow::jobsRows)));
        out.add(within("job_events, rows (mean)", mean(first, SoakRow::eventsRows), mean(last, SoakRow::eventsRows)));
        out.add(within("job_logs, rows (mean)", mean(first, SoakRow::logsRows), mean(last, SoakRow::logsRows)));
        return out;
    }

    private static Check within(String what, double a, double b) {
        return new Check(what, a, b, Math.abs(b - a) <= TOLERANCE * Math.abs(a), "within 10 %");
    }

    private static Check heap(String what, double a, double b) {
        return new Check(what, a, b, b - a <= Math.max(TOLERANCE * a, HEAP_SLACK_MB), "at most 10 % or 5 MB higher");
    }

    /** The checks as a Markdown table. */
    static String table(List<Check> checks) {
        StringBuilder s = new StringBuilder("| goal | first window | last window | change | rule | verdict |\n"
                + "|---|---:|---:|---:|---|---|\n");
        for (Check c : checks) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %+.1f %% | %s | %s |%n", c.what(), num(c.first()),
                    num(c.last()), 100 * c.change(), c.rule(), c.pass() ? "pass" : "**FAIL**"));
        }
        return s.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}

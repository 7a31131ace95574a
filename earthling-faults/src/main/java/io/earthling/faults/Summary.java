package io.earthling.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Many runs' reports as Markdown: one row per seed, one per fault kind, and the failover percentiles. */
public final class Summary {
    private static final List<String> PER_FAULT = List.of("injected", "skipped", "lost", "deadWithoutExecution",
            "stuck", "executionsBeyondOne", "executionsBeyondOneOutsideWindows", "halfLeadingSeconds", "leaderlessMs",
            "leaderlessOverGoal");

    private Summary() {
    }

    public static String markdown(List<RunReport> runs, String command) {
        return markdown(runs, command, List.of());
    }

    /** {@code failed}: seeds that did not complete, with why. */
    public static String markdown(List<RunReport> runs, String command, List<String> failed) {
        StringBuilder b = new StringBuilder("# Fault-injection runs\n\n");
        b.append("`").append(command).append("`: ").append(runs.size()).append(" seeds");
        if (!runs.isEmpty()) {
            b.append(String.format(", %.0f s each on average, lease TTL %d ms", runs.stream().mapToLong(RunReport::runMs)
                    .average().orElse(0) / 1000.0, runs.get(0).leaseTtlMs()));
        }
        b.append(".\n\n");
        if (!failed.isEmpty()) {
            b.append("Seeds that did not complete: ").append(failed.size()).append('\n');
            failed.forEach(f -> b.append("- ").append(f).append('\n'));
            b.append('\n');
        }
        b.append("| seed | faults | acked | refused | jobs | lost | idem. | illegal | bad sum | extra exec. (outside windows) | DEAD w/o run |"
                + " stuck | leaderless s (longest) | half-leading s | at end |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (RunReport r : runs) {
            b.append(String.format("| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d (%d) | %d | %d | %.1f (%.1f) | %d | %d |%n",
                    r.seed(), r.faultCounts().values().stream().mapToInt(Integer::intValue).sum(), r.submissionsAcked(),
                    r.submissionsRefused(), r.jobs(), r.lost(),
                    r.idempotencyViolations(), r.illegalTransitions(), r.gathersWrongSum(), r.executionsBeyondOne(),
                    r.executionsBeyondOneOutsideWindows(),
                    r.deadWithoutExecution(), r.stuck(), r.leaderlessMs() / 1000.0, r.longestLeaderlessMs() / 1000.0,
                    r.halfLeadingSeconds(), r.halfLeadingAtEnd()));
        }
        b.append("\nBy fault kind (an anomaly counts for the latest fault that started before it):\n\n");
        b.append("| fault | ").append(String.join(" | ", PER_FAULT)).append(" |\n|---|");
        PER_FAULT.forEach(x -> b.append("---:|"));
        b.append('\n');
        Map<String, Map<String, Long>> total = new TreeMap<>();
        for (RunReport r : runs) {
            r.perFault().forEach((kind, counts) -> counts.forEach((what, n) ->
                    total.computeIfAbsent(kind, k -> new TreeMap<>()).merge(what, n, Long::sum)));
        }
        total.forEach((kind, counts) -> {
            b.append("| ").append(kind);
            PER_FAULT.forEach(x -> b.append(" | ").append(counts.getOrDefault(x, 0L)));
            b.append(" |\n");
        });
        List<Long> failover = new ArrayList<>();
        List<Long> takeover = new ArrayList<>();
        List<Long> redispatch = new ArrayList<>();
        runs.forEach(r -> {
            failover.addAll(r.failoverMs());
            takeover.addAll(r.takeoverMs());
            redispatch.addAll(r.redispatchMs());
        });
        b.append("\n| time | n | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        row(b, "leader kill -9 -> first dispatch by the new leader", failover);
        row(b, "leader kill -9 -> lease held by the standby", takeover);
        row(b, "assistant kill -9 -> its jobs assigned again", redispatch);
        List<String> steps = new ArrayList<>();
        runs.forEach(r -> r.clockStepsSeen().forEach(x -> steps.add("seed " + r.seed() + ", " + x)));
        if (!steps.isEmpty()) {
            b.append("\nClock steps (CLOCK_STEP) as the stepped node's handlers saw them:\n\n");
            steps.forEach(x -> b.append("- ").append(x).append('\n'));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String what, List<Long> values) {
        b.append(String.format("| %s | %d | %d | %d | %d |%n", what, values.size(), percentile(values, 50),
                percentile(values, 99), values.stream().mapToLong(Long::longValue).max().orElse(-1)));
    }

    /** Nearest rank; -1 when there is no value. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}

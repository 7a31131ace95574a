package io.earthling.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The per-phase figures of a scenario, from what was recorded during it; plain functions. */
final class PhaseStats {
    /** A phase: from {@code fromMs} (inclusive) to {@code toMs} (exclusive), wall clock. */
    record Window(String name, long fromMs, long toMs) {
        boolean has(long atMs) {
            return atMs >= fromMs && atMs < toMs;
        }
    }

    /**
     * Once a second: the manager's heap, the unfinished jobs, the tables, the epoch of a valid lease (-1: not known
     * then, or no valid lease).
     */
    record Sample(long atMs, long heapBytes, long backlog, long jobsLive, long jobsDead, long jobsBytes,
                  long eventsDead, long eventsBytes, long leaseEpoch) {
    }

    /** A job of the scenario: submitted at (client clock), first started at (-1 never), ended at (-1 not). */
    record JobTimes(long submittedMs, long firstRunMs, long endedMs) {
    }

    private PhaseStats() {
    }

    /** The {@code q} quantile (0..1) of {@code values} by the nearest-rank method; -1 when empty. */
    static long quantile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static ScenarioReport.Phase phase(Window w, List<SteadyLoad.Call> calls, List<JobTimes> jobs, List<Sample> samples) {
        Map<String, Integer> answers = new TreeMap<>();
        Map<String, Integer> refusals = new TreeMap<>();
        List<Long> submitMs = new ArrayList<>();
        int acked = 0;
        for (SteadyLoad.Call c : calls) {
            if (w.has(c.atMs())) {
                answers.merge(c.code(), 1, Integer::sum);
                submitMs.add(c.tookMs());
                acked += c.code().equals("OK") ? c.jobs() : 0;
                if (c.error() != null) {
                    refusals.merge(Reconciler.reason(c.error().replaceAll("jdbc:\\S+", "DB")), 1, Integer::sum);
                }
            }
        }
        List<Long> pickup = new ArrayList<>();
        int ended = 0;
        for (JobTimes j : jobs) {
            if (w.has(j.submittedMs()) && j.firstRunMs() >= 0) {
                pickup.add(Math.max(0, j.firstRunMs() - j.submittedMs()));
            }
            if (j.endedMs() >= 0 && w.has(j.endedMs())) {
                ended++;
            }
        }
        long heap = -1;
        long backlog = -1;
        Sample last = null;
        for (Sample s : samples) {
            if (w.has(s.atMs())) {
                heap = Math.max(heap, s.heapBytes());
                backlog = Math.max(backlog, s.backlog());
                if (s.jobsBytes() >= 0) {
                    last = s;
                }
            }
        }
        long ms = Math.max(1, w.toMs() - w.fromMs());
        return new ScenarioReport.Phase(w.name(), ms, answers, acked, ended * 1000.0 / ms, quantile(pickup, 0.5),
                quantile(pickup, 0.99), quantile(submitMs, 0.99), heap < 0 ? -1 : heap >> 20, backlog,
                last == null ? -1 : last.jobsLive(), last == null ? -1 : last.jobsDead(),
                last == null ? -1 : last.jobsBytes() >> 10, last == null ? -1 : last.eventsDead(),
                last == null ? -1 : last.eventsBytes() >> 10, refusals);
    }

    /** The sum of the {@code jvm_memory_used_bytes{area="heap",...}} lines of Prometheus text; -1 if none. */
    static long heapBytes(String prometheus) {
        long sum = -1;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                try {
                    sum = Math.max(sum, 0) + (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } catch (NumberFormatException e) {
                    // not a sample line
                }
            }
        }
        return sum;
    }
}

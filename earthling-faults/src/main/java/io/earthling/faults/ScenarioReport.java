package io.earthling.faults;

import java.util.List;
import java.util.Map;

/**
 * What one database scenario found: the invariants (nothing acknowledged lost, nothing stuck, no illegal transition),
 * how often a (job, attempt) ran more than once, how long the system took to recover once the fault ended, and per
 * phase (before, during, after) what intake answered, throughput, pickup latency, the manager's heap, the backlog and
 * the {@code jobs} and {@code job_events} tables.
 */
public record ScenarioReport(
        String scenario,
        boolean longVersion,
        long faultMs,
        String faultNote,
        double offeredJobsPerSecond,
        // always zero
        int lost,
        int stuck,
        int illegalTransitions,
        int idempotencyViolations,
        // duplicates: beyond one per (job, attempt), and those outside the documented windows
        int executionsBeyondOne,
        int executionsBeyondOneOutsideWindows,
        int jobs,
        Map<String, Integer> jobsByState,
        // recovery, from the end of the fault
        long firstAckAfterMs,
        long firstRunAfterMs,
        long leaseHeldAfterMs,
        long allFinalAfterMs,
        List<String> managerExits,
        List<Phase> phases,
        List<String> examples) {

    /**
     * One phase. {@code answers}: SubmitBatch calls by gRPC code; {@code finishedPerS}: jobs of the scenario that ended
     * in the phase, per second; pickup: from the submitting call's start to the handler's start, for the jobs
     * submitted in the phase; heap and backlog: the most sampled (once a second); tables: the last sample of the
     * phase (-1 when the database did not answer), sizes with indexes and TOAST; {@code refusals}: what the refused
     * calls were told, grouped by its first words (numbers as N).
     */
    public record Phase(String name, long ms, Map<String, Integer> answers, int jobsAcked, double finishedPerS,
                        long pickupP50Ms, long pickupP99Ms, long submitP99Ms, long heapMaxMb, long backlogMax,
                        long jobsLive, long jobsDead, long jobsKb, long eventsDead, long eventsKb,
                        Map<String, Integer> refusals) {
    }

    boolean invariantsHold() {
        return lost == 0 && stuck == 0 && illegalTransitions == 0 && idempotencyViolations == 0;
    }

    /** About half a screen. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Scenario %s (%s): fault %.1f s: %s; offered %.1f jobs/s%n", scenario,
                longVersion ? "long" : "short", faultMs / 1000.0, faultNote, offeredJobsPerSecond));
        b.append(String.format("  lost %d, stuck %d, illegal transitions %d, idempotency violations %d;"
                + " executions beyond one per (job, attempt) %d (%d outside the documented windows); %d jobs %s%n",
                lost, stuck, illegalTransitions, idempotencyViolations, executionsBeyondOne,
                executionsBeyondOneOutsideWindows, jobs, jobsByState));
        b.append(String.format("  after the fault ended: first submission acknowledged %s, first job started %s,"
                + " a manager leading %s, every job final %s%n", ms(firstAckAfterMs), ms(firstRunAfterMs),
                ms(leaseHeldAfterMs), ms(allFinalAfterMs)));
        b.append("  manager exits: ").append(managerExits.isEmpty() ? "none" : managerExits).append('\n');
        b.append(String.format("  %-7s %6s %-44s %6s %7s %8s %8s %8s %6s %7s %8s %8s %7s %7s%n", "phase", "s",
                "intake answers (calls of 5 jobs)", "acked", "ended/s", "pick50ms", "pick99ms", "call99ms", "heapMB",
                "backlog", "jobsLive", "jobsDead", "jobsKB", "evDead"));
        for (Phase p : phases) {
            b.append(String.format("  %-7s %6.1f %-44s %6d %7.1f %8d %8d %8d %6d %7d %8d %8d %7d %7d%n", p.name(),
                    p.ms() / 1000.0, p.answers(), p.jobsAcked(), p.finishedPerS(), p.pickupP50Ms(), p.pickupP99Ms(),
                    p.submitP99Ms(), p.heapMaxMb(), p.backlogMax(), p.jobsLive(), p.jobsDead(), p.jobsKb(),
                    p.eventsDead()));
        }
        for (Phase p : phases) {
            p.refusals().forEach((why, n) -> b.append(String.format("  %s: %d x %s%n", p.name(), n, why)));
        }
        examples.stream().limit(8).forEach(e -> b.append("  ").append(e).append('\n'));
        return b.toString();
    }

    private static String ms(long ms) {
        return ms < 0 ? "never" : String.format("%.1f s", ms / 1000.0);
    }
}

package io.earthling.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares, after healing, what was acknowledged (the workload's submissions), what ran (the evidence files the
 * handlers wrote), what the tables say (jobs, job_events) and what the monitor saw (the lease, half-leading
 * managers), and counts every disagreement into a {@link RunReport}.
 */
final class Reconciler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "DEAD", "CANCELLED");

    record Job(long id, String type, String state, String queue, String key, String tag, String result, String error,
               boolean gather, long parent) {
    }

    record Event(long jobId, String kind, long atMs, String node, String detail, int attempt) {
    }

    /** {@code atMs}: when it started, true time; {@code wallMs}: what the node's (maybe stepped) wall clock said. */
    record Execution(long jobId, int attempt, String node, String worker, long pid, long atMs, long wallMs) {
    }

    /** Everything the run produced, gathered by {@link FaultRun}. */
    record Inputs(long seed, Pg db, FaultCluster cluster, long startMs, long runMs, long healedInMs,
                  List<Workload.Submission> submissions, List<Injector.Injected> injected,
                  List<Monitor.Sample> samples, List<Monitor.HalfLeading> halfLeading, int halfLeadingAtEnd,
                  List<Processes.Exit> exits, List<String> operatorRestarts) {
    }

    private Reconciler() {
    }

    static RunReport reconcile(Inputs in) throws SQLException, IOException {
        List<Job> jobs = new ArrayList<>();
        Map<Long, List<Event>> events = new HashMap<>();
        try (Connection c = in.db().connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, type, state, queue, idempotency_key, payload, result, error,"
                    + " gather_job, coalesce(parent_id, 0) FROM jobs ORDER BY id")) {
                while (rs.next()) {
                    jobs.add(new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            tag(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getBoolean(9), rs.getLong(10)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT job_id, kind, at, node, detail, coalesce(attempt, 0) FROM"
                    + " job_events ORDER BY job_id, id")) {
                while (rs.next()) {
                    events.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Event(rs.getLong(1),
                            rs.getString(2), rs.getTimestamp(3).getTime(), rs.getString(4), rs.getString(5),
                            rs.getInt(6)));
                }
            }
        }
        List<Execution> executions = executions(in.cluster().evidenceDir);
        List<String> examples = new ArrayList<>();
        PerFault perFault = new PerFault(in.injected());

        Map<String, List<Job>> byTag = new HashMap<>();
        jobs.stream().filter(j -> j.tag() != null).forEach(j -> byTag.computeIfAbsent(j.tag(), k -> new ArrayList<>()).add(j));
        Map<Long, Job> byId = new HashMap<>();
        jobs.forEach(j -> byId.put(j.id(), j));

        // Acknowledged jobs: per tag, the jobs expected (a keyed tag: one, however often it was submitted).
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Set<Long>> idsPerKey = new HashMap<>();
        int acked = 0;
        int refused = 0;
        Map<String, Integer> refusedBecause = new TreeMap<>();
        Map<String, Long> submittedAt = new HashMap<>();
        for (Workload.Submission sub : in.submissions()) {
            if (sub.acked()) {
                acked++;
                submittedAt.putIfAbsent(sub.tag(), sub.atMs());
                expected.merge(sub.tag(), sub.expected(), sub.key() != null ? (a, b) -> 1 : Integer::sum);
                if (sub.key() != null && sub.via().equals("cli-key") && !sub.ids().isEmpty()) {
                    idsPerKey.computeIfAbsent(sub.key(), k -> new HashSet<>()).add(sub.ids().get(0));
                }
            } else {
                refused++;
                refusedBecause.merge(reason(sub.error()), 1, Integer::sum);
            }
        }
        int lost = 0;
        int ackedNeverFinal = 0;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            List<Job> found = byTag.getOrDefault(e.getKey(), List.of());
            if (found.size() < e.getValue()) {
                lost += e.getValue() - found.size();
                perFault.add(submittedAt.getOrDefault(e.getKey(), 0L), "lost", e.getValue() - found.size());
                examples.add("lost: tag " + e.getKey() + " acknowledged " + e.getValue() + " jobs, found " + found.size());
            }
            ackedNeverFinal += (int) found.stream().filter(j -> !FINAL.contains(j.state())).count();
        }

        // Idempotency: one job per (queue, key) in the table, one job per keyed tag, one id per key in the answers.
        int idempotencyViolations = 0;
        Map<String, Integer> perKey = new HashMap<>();
        jobs.stream().filter(j -> j.key() != null).forEach(j -> perKey.merge(j.queue() + "/" + j.key(), 1, Integer::sum));
        for (Map.Entry<String, Integer> e : perKey.entrySet()) {
            if (e.getValue() > 1) {
                idempotencyViolations++;
                examples.add("idempotency: " + e.getValue() + " jobs for key " + e.getKey());
            }
        }
        for (Map.Entry<String, List<Job>> e : byTag.entrySet()) {
            if (e.getKey().startsWith("key:") && e.getValue().size() > 1) {
                idempotencyViolations++;
                examples.add("idempotency: " + e.getValue().size() + " jobs with payload tag " + e.getKey());
            }
        }
        for (Map.Entry<String, Set<Long>> e : idsPerKey.entrySet()) {
            if (e.getValue().size() > 1) {
                idempotencyViolations++;
                examples.add("idempotency: key " + e.getKey() + " answered with ids " + e.getValue());
            }
        }

        // Transitions.
        int illegal = 0;
        Map<String, Integer> unknownKinds = new TreeMap<>();
        for (Map.Entry<Long, List<Event>> e : events.entrySet()) {
            List<String> kinds = e.getValue().stream().map(Event::kind).toList();
            EventCheck.unknown(kinds).forEach(k -> unknownKinds.merge(k, 1, Integer::sum));
            List<EventCheck.Illegal> bad = EventCheck.check(e.getKey(), kinds);
            illegal += bad.size();
            bad.stream().limit(2).forEach(x -> examples.add("illegal transition: " + x));
        }

        // Gathers of acknowledged splits.
        int gathersChecked = 0;
        int wrongSum = 0;
        int notSucceeded = 0;
        Map<Long, Integer> gatherJobs = new HashMap<>();
        jobs.stream().filter(Job::gather).forEach(j -> gatherJobs.merge(j.parent(), 1, Integer::sum));
        for (Workload.Submission sub : in.submissions()) {
            if (!sub.acked() || sub.splitWidth() == 0 || sub.ids().isEmpty()) {
                continue;
            }
            Job parent = byId.get(sub.ids().get(0));
            gathersChecked++;
            if (parent == null || !parent.state().equals("SUCCEEDED")) {
                notSucceeded++;
                examples.add("split " + sub.ids().get(0) + " ended " + (parent == null ? "missing" : parent.state()
                        + " " + parent.error()));
                continue;
            }
            long w = sub.splitWidth();
            JsonNode r = JSON.readTree(parent.result());
            if (r.path("sum").asLong() != w * (w + 1) / 2 || r.path("children").asLong() != w
                    || gatherJobs.getOrDefault(parent.id(), 0) != 1) {
                wrongSum++;
                examples.add("split " + parent.id() + " of width " + w + " gathered " + parent.result() + " with "
                        + gatherJobs.getOrDefault(parent.id(), 0) + " gather jobs");
            }
        }

        // Executions against the tables.
        Map<String, List<Execution>> perAttempt = new HashMap<>();
        Set<Long> executed = new HashSet<>();
        for (Execution x : executions) {
            perAttempt.computeIfAbsent(x.jobId() + "#" + x.attempt(), k -> new ArrayList<>()).add(x);
            executed.add(x.jobId());
        }
        int beyondOne = 0;
        int beyondOneOutside = 0;
        int ranTwice = 0;
        for (Map.Entry<String, List<Execution>> e : perAttempt.entrySet()) {
            List<Execution> xs = e.getValue().stream().sorted(java.util.Comparator.comparingLong(Execution::atMs)).toList();
            if (xs.size() > 1) {
                beyondOne += xs.size() - 1;
                ranTwice++;
                if (recorded(xs.get(0), events.getOrDefault(xs.get(0).jobId(), List.of()))) {
                    beyondOneOutside += xs.size() - 1;
                    xs.subList(1, xs.size()).forEach(x -> perFault.add(x.atMs(), "executionsBeyondOneOutsideWindows", 1));
                }
                xs.subList(1, xs.size()).forEach(x -> perFault.add(x.atMs(), "executionsBeyondOne", 1));
                if (ranTwice <= 3) {
                    examples.add("job#attempt " + e.getKey() + " ran " + xs.size() + " times: "
                            + xs.stream().map(x -> x.worker() + " pid " + x.pid()).toList());
                }
            }
        }
        int deadWithout = 0;
        Map<String, Integer> deadBecause = new TreeMap<>();
        Map<String, Integer> byState = new TreeMap<>();
        int stuck = 0;
        for (Job j : jobs) {
            byState.merge(j.state(), 1, Integer::sum);
            if (!FINAL.contains(j.state())) {
                stuck++;
                List<Event> evs = events.getOrDefault(j.id(), List.of());
                perFault.add(evs.isEmpty() ? 0 : evs.get(evs.size() - 1).atMs(), "stuck", 1);
                if (stuck <= 3) {
                    examples.add("stuck: job " + j.id() + " (" + j.type() + ") " + j.state());
                }
            }
            if (j.state().equals("DEAD")) {
                deadBecause.merge(reason(j.error()), 1, Integer::sum);
                if (j.type().equals(EvidenceHandler.TYPE) && !executed.contains(j.id())) {
                    deadWithout++;
                    List<Event> evs = events.getOrDefault(j.id(), List.of());
                    perFault.add(evs.isEmpty() ? 0 : evs.get(evs.size() - 1).atMs(), "deadWithoutExecution", 1);
                    if (deadWithout <= 3) {
                        examples.add("DEAD without running: job " + j.id() + ": " + j.error());
                    }
                }
            }
        }

        // The lease, as sampled.
        long goal = in.cluster().leaseTtlMs + 2_000;
        long leaderless = 0;
        long longest = 0;
        long unknown = 0;
        int overGoal = 0;
        long episode = 0;
        List<Monitor.Sample> samples = in.samples();
        for (int i = 1; i < samples.size(); i++) {
            Monitor.Sample a = samples.get(i - 1);
            long dt = samples.get(i).atMs() - a.atMs();
            if (!a.known()) {
                unknown += dt;
            } else if (a.holder() == null) {
                leaderless += dt;
                episode += dt;
                continue;
            }
            if (episode > 0) {
                longest = Math.max(longest, episode);
                overGoal += episode > goal ? 1 : 0;
                perFault.add(a.atMs() - episode, "leaderlessMs", episode);
                perFault.add(a.atMs() - episode, "leaderlessOverGoal", episode > goal ? 1 : 0);
                episode = 0;
            }
        }
        if (episode > 0) {
            longest = Math.max(longest, episode);
            overGoal += episode > goal ? 1 : 0;
        }

        // Failover and redispatch times.
        List<Long> failover = new ArrayList<>();
        List<Long> takeover = new ArrayList<>();
        List<Long> redispatch = new ArrayList<>();
        List<Event> all = events.values().stream().flatMap(List::stream).toList();
        for (Injector.Injected f : in.injected()) {
            long t0 = f.startMs();
            if (f.kind() == FaultKind.LEADER_KILL && f.note().startsWith("kill")) {
                String killed = in.cluster().holder(Integer.parseInt(f.target().substring("manager-".length())) - 1);
                samples.stream().filter(x -> x.atMs() > t0 && x.holder() != null && !x.holder().equals(killed))
                        .findFirst().ifPresent(x -> takeover.add(x.atMs() - t0));
                all.stream().filter(e -> e.atMs() > t0 && e.kind().equals("ASSIGNED")
                                && (e.detail() == null || !e.detail().startsWith("adopted")))
                        .mapToLong(Event::atMs).min().ifPresent(t -> failover.add(t - t0));
            } else if (f.kind() == FaultKind.ASSISTANT_KILL) {
                String address = FaultCluster.assistantAddress(Integer.parseInt(f.target().substring("assistant-".length())));
                long best = Long.MAX_VALUE;
                for (List<Event> evs : events.values()) {
                    Event lastBefore = null;
                    for (Event e : evs) {
                        if (e.atMs() <= t0) {
                            lastBefore = e;
                        } else {
                            if (lastBefore != null && lastBefore.node() != null && lastBefore.node().contains(address)
                                    && (lastBefore.kind().equals("ASSIGNED") || lastBefore.kind().equals("RUNNING"))) {
                                if (e.kind().equals("ASSIGNED")) {
                                    best = Math.min(best, e.atMs() - t0);
                                    break;
                                }
                                continue;
                            }
                            break;
                        }
                    }
                }
                if (best != Long.MAX_VALUE) {
                    redispatch.add(best);
                }
            }
        }

        // Clock steps on a node, as its handlers saw them: their wall clock against the true time of the same moment.
        List<String> clockSteps = new ArrayList<>();
        for (Injector.Injected f : in.injected()) {
            if (f.kind() == FaultKind.CLOCK_STEP && !f.skipped()) {
                clockSteps.add(f.target() + ": " + stepSeen(f, executions));
            }
        }

        Map<String, Integer> faultCounts = new TreeMap<>();
        List<String> faults = new ArrayList<>();
        for (Injector.Injected f : in.injected()) {
            if (!f.skipped()) {
                faultCounts.merge(f.kind().name(), 1, Integer::sum);
            }
            faults.add(String.format("%6.1f s %-26s %-22s %.1f s  %s", (f.startMs() - in.startMs()) / 1000.0,
                    f.kind(), f.target(), (f.endMs() - f.startMs()) / 1000.0, f.note()));
        }
        List<String> managerExits = new ArrayList<>();
        List<String> assistantExits = new ArrayList<>();
        for (Processes.Exit x : in.exits()) {
            (x.name().startsWith("manager") ? managerExits : assistantExits).add(x.name() + " exit " + x.code());
        }
        int halfSeconds = in.halfLeading().size();
        in.halfLeading().forEach(h -> perFault.add(h.atMs(), "halfLeadingSeconds", 1));
        in.halfLeading().stream().limit(3).forEach(h -> examples.add("half leading: " + FaultCluster.managerName(h.manager())
                + (h.hung() ? " hung on" : " answered") + " a leader-only call while the lease was " + h.holder()));

        return new RunReport(in.seed(), in.db().name(), lost, idempotencyViolations, illegal, unknownKinds, wrongSum,
                beyondOne, beyondOneOutside,
                deadWithout, stuck, ackedNeverFinal, leaderless, longest, overGoal, halfSeconds, in.halfLeadingAtEnd(),
                in.runMs(), in.cluster().leaseTtlMs, in.healedInMs(), acked, refused, refusedBecause, jobs.size(),
                byState, deadBecause, executions.size(), ranTwice, gathersChecked, notSucceeded, unknown, managerExits,
                assistantExits, in.operatorRestarts(), faults, faultCounts, perFault.counts, failover, takeover,
                redispatch, clockSteps, examples);
    }

    /**
     * Whether the first execution of a (job, attempt) that ran again is on record: an {@code ASSIGNED} or
     * {@code RUNNING} event of that attempt naming its node. A leader that has that on record counts the attempt
     * when the node is lost, so the next run gets a new number: the same attempt running twice after it is outside
     * every documented window. Without it, it is the documented one (docs/operations.md, duplicate windows): the
     * job ran while its {@code ASSIGNED} was not yet durable, and the node died or came back too late.
     */
    static boolean recorded(Execution first, List<Event> events) {
        return events.stream().anyMatch(e -> e.attempt() == first.attempt() && e.node() != null
                && e.node().startsWith(first.node() + ":")
                && (e.kind().equals("ASSIGNED") || e.kind().equals("RUNNING")));
    }

    /**
     * What the handlers of a stepped assistant saw: the median of (wall clock - true time) over the executions that
     * started on that node while the step was in force (from a second after it, when libfaketime re-read its spec).
     */
    static String stepSeen(Injector.Injected f, List<Execution> executions) {
        if (!f.target().startsWith("assistant-")) {
            return "a manager's clock: checked by the probe before the run, not seen in the tables (job_events.at is"
                    + " the database's clock)";
        }
        String address = FaultCluster.assistantAddress(Integer.parseInt(f.target().substring("assistant-".length())));
        List<Long> offsets = executions.stream().filter(x -> x.node().equals(address) && x.atMs() >= f.startMs() + 1_200
                && x.atMs() <= f.endMs() - 200).map(x -> x.wallMs() - x.atMs()).sorted().toList();
        List<Long> outside = executions.stream().filter(x -> x.node().equals(address)
                && (x.atMs() < f.startMs() - 200 || x.atMs() > f.endMs() + 1_200)
                && Math.abs(x.atMs() - f.startMs()) < 30_000).map(x -> x.wallMs() - x.atMs()).sorted().toList();
        return offsets.isEmpty() ? "no execution there while stepped"
                : String.format("its handlers' wall clock read %+.1f s (median of %d executions; %+.1f s around it)",
                        offsets.get(offsets.size() / 2) / 1000.0, offsets.size(),
                        outside.isEmpty() ? 0.0 : outside.get(outside.size() / 2) / 1000.0);
    }

    /** Counts of anomalies by the fault they followed: the latest one that started at or before them. */
    static final class PerFault {
        final Map<String, Map<String, Long>> counts = new TreeMap<>();
        private final List<Injector.Injected> injected;

        PerFault(List<Injector.Injected> injected) {
            this.injected = injected.stream().sorted(java.util.Comparator.comparingLong(Injector.Injected::startMs)).toList();
            this.injected.forEach(f -> add(f.startMs(), f.skipped() ? "skipped" : "injected", 1));
        }

        void add(long atMs, String what, long n) {
            String kind = "before any fault";
            for (Injector.Injected f : injected) {
                if (f.startMs() <= atMs) {
                    kind = f.kind().name();
                }
            }
            counts.computeIfAbsent(kind, k -> new TreeMap<>()).merge(what, n, Long::sum);
        }
    }

    /** An error's first words, without ids and numbers, to group by. */
    static String reason(String error) {
        if (error == null) {
            return "-";
        }
        String s = error.replaceAll("\\d+", "N").replaceAll("\\s+", " ").strip();
        return s.length() > 70 ? s.substring(0, 70) : s;
    }

    private static String tag(String payload) {
        if (payload == null || !payload.contains("\"tag\"")) {
            return null;
        }
        try {
            JsonNode t = JSON.readTree(payload).path("tag");
            return t.isTextual() ? t.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static final long WALL_ORIGIN_MS = System.currentTimeMillis();
    private static final long MONOTONIC_ORIGIN_NS = System.nanoTime();

    /**
     * The true wall-clock time of a {@code System.nanoTime} reading of any process on this machine (Linux: one
     * {@code CLOCK_MONOTONIC}), by this JVM's clocks, which no fault steps.
     */
    static long trueMs(long monotonicNs) {
        return WALL_ORIGIN_MS + Math.floorDiv(monotonicNs - MONOTONIC_ORIGIN_NS, 1_000_000L);
    }

    static List<Execution> executions(Path dir) throws IOException {
        List<Execution> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("evidence-")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String[] p = line.split(" ");
                    if (p.length >= 6) {
                        // The monotonic time when there is one: a node's wall clock may have been stepped.
                        long at = p.length >= 8 ? trueMs(Long.parseLong(p[7])) : Long.parseLong(p[5]);
                        out.add(new Execution(Long.parseLong(p[0]), Integer.parseInt(p[1]), p[2], p[3], Long.parseLong(p[4]),
                                at, Long.parseLong(p[5])));
                    }
                }
            }
        }
        return out;
    }
}

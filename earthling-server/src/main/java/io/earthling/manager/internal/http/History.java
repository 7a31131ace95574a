package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's charts: the last hour of jobs in and out, failures, queue depth and p99 pickup, per queue and per
 * type, in manager memory. Each {@link #sample} turns the job counters' growth since the one before into rates per
 * second, and the pickup histogram's growth into that interval's p99; about 720 points an hour at one per 5 s.
 */
final class History {
    static final long KEEP_MS = TimeUnit.HOURS.toMillis(1);
    /** in, out (ended: succeeded, dead, cancelled), failed (attempts that failed, retried or dead). */
    private static final int IN = 0;
    private static final int OUT = 1;
    private static final int FAILED = 2;

    record Point(long atMs, Map<String, double[]> queues, Map<String, double[]> types, Map<String, Long> depth,
                 double p99PickupMs) {
    }

    private final MeterRegistry registry;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private Map<List<String>, double[]> lastTotals;
    private long lastAtMs;
    private double[] lastBuckets;

    History(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Adds a point at {@code atMs}; {@code depth}: ready + delayed jobs per queue now (empty on a standby). */
    synchronized void sample(long atMs, Map<String, Long> depth) {
        Map<List<String>, double[]> totals = totals();
        double[] buckets = pickupBuckets();
        if (lastTotals != null && atMs > lastAtMs) {
            double seconds = (atMs - lastAtMs) / 1000.0;
            Map<String, double[]> queues = new HashMap<>();
            Map<String, double[]> types = new HashMap<>();
            totals.forEach((key, now) -> {
                double[] before = lastTotals.getOrDefault(key, new double[3]);
                for (int i = 0; i < 3; i++) {
                    double rate = Math.max(0, now[i] - before[i]) / seconds;
                    queues.computeIfAbsent(key.get(0), q -> new double[3])[i] += rate;
                    types.computeIfAbsent(key.get(1), t -> new double[3])[i] += rate;
                }
            });
            points.addLast(new Point(atMs, queues, types, Map.copyOf(depth), p99(lastBuckets, buckets)));
        }
        lastTotals = totals;
        lastAtMs = atMs;
        lastBuckets = buckets;
        while (!points.isEmpty() && atMs - points.peekFirst().atMs() > KEEP_MS) {
            points.removeFirst();
        }
    }

    /**
     * The points since {@code sinceMs}, column by column as charts take them: {@code atMs}, {@code p99PickupMs},
     * {@code total}, {@code queues.NAME} and {@code types.NAME}, each with {@code in}, {@code out}, {@code failed} per
     * second (and {@code depth} for queues and the total).
     */
    synchronized ObjectNode json(long sinceMs) {
        List<Point> ps = points.stream().filter(p -> p.atMs() >= sinceMs).toList();
        ObjectNode o = Views.JSON.createObjectNode().put("keepMs", KEEP_MS);
        ArrayNode at = o.putArray("atMs");
        ArrayNode p99 = o.putArray("p99PickupMs");
        ps.forEach(p -> {
            at.add(p.atMs());
            if (Double.isNaN(p.p99PickupMs())) {
                p99.addNull();
            } else {
                p99.add(p.p99PickupMs());
            }
        });
        TreeSet<String> queueNames = new TreeSet<>();
        TreeSet<String> typeNames = new TreeSet<>();
        ps.forEach(p -> {
            queueNames.addAll(p.queues().keySet());
            queueNames.addAll(p.depth().keySet());
            typeNames.addAll(p.types().keySet());
        });
        ObjectNode total = o.putObject("total");
        for (int i = 0; i < 3; i++) {
            ArrayNode a = total.putArray(name(i));
            int slot = i;
            ps.forEach(p -> a.add(round(p.queues().values().stream().mapToDouble(v -> v[slot]).sum())));
        }
        ArrayNode totalDepth = total.putArray("depth");
        ps.forEach(p -> totalDepth.add(p.depth().values().stream().mapToLong(Long::longValue).sum()));
        ObjectNode queues = o.putObject("queues");
        for (String q : queueNames) {
            ObjectNode s = series(queues.putObject(q), ps, p -> p.queues().get(q));
            ArrayNode depth = s.putArray("depth");
            ps.forEach(p -> depth.add(p.depth().getOrDefault(q, 0L)));
        }
        ObjectNode types = o.putObject("types");
        typeNames.forEach(t -> series(types.putObject(t), ps, p -> p.types().get(t)));
        return o;
    }

    private static ObjectNode series(ObjectNode o, List<Point> ps, java.util.function.Function<Point, double[]> of) {
        for (int i = 0; i < 3; i++) {
            ArrayNode a = o.putArray(name(i));
            int slot = i;
            ps.forEach(p -> {
                double[] v = of.apply(p);
                a.add(v == null ? 0 : round(v[slot]));
            });
        }
        return o;
    }

    private static String name(int slot) {
        return slot == IN ? "in" : slot == OUT ? "out" : "failed";
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    /** Totals per (queue, type) so far: {submitted, ended, failed}. */
    private Map<List<String>, double[]> totals() {
        Map<List<String>, double[]> t = new HashMap<>();
        add(t, "earthling.jobs.submitted", IN);
        for (String ended : List.of("succeeded", "dead", "cancelled")) {
            add(t, "earthling.jobs." + ended, OUT);
        }
        add(t, "earthling.jobs.failed", FAILED);
        add(t, "earthling.jobs.dead", FAILED);
        return t;
    }

    private void add(Map<List<String>, double[]> t, String name, int slot) {
        for (Counter c : registry.find(name).counters()) {
            String queue = c.getId().getTag("queue");
            String type = c.getId().getTag("type");
            if (queue != null && type != null) {
                t.computeIfAbsent(List.of(queue, type), k -> new double[3])[slot] += c.count();
            }
        }
    }

    /** The pickup histogram's cumulative counts, bucket by bucket, with the bucket bounds in ms after them. */
    private double[] pickupBuckets() {
        Timer timer = registry.find("earthling.pickup.latency").timer();
        if (timer == null) {
            return new double[0];
        }
        CountAtBucket[] b = timer.takeSnapshot().histogramCounts();
        double[] out = new double[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i].count();
            out[b.length + i] = b[i].bucket(TimeUnit.MILLISECONDS);
        }
        return out;
    }

    /** The p99 of the jobs picked up between two histogram readings (a bucket's upper bound), NaN if none were. */
    static double p99(double[] before, double[] now) {
        int n = now.length / 2;
        if (n == 0 || before == null || before.length != now.length) {
            return Double.NaN;
        }
        double total = now[n - 1] - before[n - 1];
        if (total <= 0) {
            return Double.NaN;
        }
        for (int i = 0; i < n; i++) {
            if (now[i] - before[i] >= 0.99 * total) {
                return now[n + i];
            }
        }
        return now[2 * n - 1];
    }
}

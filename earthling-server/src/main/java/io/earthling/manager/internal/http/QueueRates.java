package io.earthling.manager.internal.http;

import io.earthling.core.MonotonicClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Jobs submitted and finished per second and queue over the last minute, from the job counters sampled every few seconds. */
final class QueueRates {
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final List<String> FINISHED = List.of("succeeded", "dead", "cancelled");

    private record Sample(long atNanos, Map<String, double[]> totals) {
    }

    private final MeterRegistry registry;
    private final MonotonicClock clock;
    private final ArrayDeque<Sample> window = new ArrayDeque<>();

    /** {@code clock}: the time between samples, which the rates divide by. */
    QueueRates(MeterRegistry registry, MonotonicClock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    synchronized void sample() {
        long now = clock.nanos();
        window.addLast(new Sample(now, totals()));
        while (window.size() > 2 && now - window.peekFirst().atNanos() > WINDOW_NANOS) {
            window.removeFirst();
        }
    }

    /** {submitted, finished} per second for {@code queue}; zeros until two samples exist. */
    synchronized double[] perSecond(String queue) {
        if (window.size() < 2) {
            return new double[2];
        }
        Sample first = window.peekFirst();
        Sample last = window.peekLast();
        double seconds = (last.atNanos() - first.atNanos()) / 1e9;
        double[] a = first.totals().getOrDefault(queue, new double[2]);
        double[] b = last.totals().getOrDefault(queue, new double[2]);
        return new double[] {(b[0] - a[0]) / seconds, (b[1] - a[1]) / seconds};
    }

    private Map<String, double[]> totals() {
        Map<String, double[]> t = new HashMap<>();
        registry.find("earthling.jobs.submitted").counters().forEach(c -> add(t, c, 0));
        FINISHED.forEach(o -> registry.find("earthling.jobs." + o).counters().forEach(c -> add(t, c, 1)));
        return t;
    }

    private static void add(Map<String, double[]> t, Counter c, int slot) {
        t.computeIfAbsent(c.getId().getTag("queue"), q -> new double[2])[slot] += c.count();
    }
}

package io.earthling.manager.internal.dispatch;

import io.earthling.core.LabelBudget;
import io.earthling.core.ReadyJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the dispatcher counts and times as jobs pass: submissions, outcomes, dispatch and pickup latency. */
public final class JobMetrics {
    /** Counts into nothing: a dispatcher nobody observes. */
    public static final JobMetrics NONE = new JobMetrics(new CompositeMeterRegistry());

    private final MeterRegistry registry;
    private final Timer dispatch;
    private final Timer pickup;
    private final Counter refusedBusy;
    /** The HELP text of each job counter, by name (Prometheus shows it; promtool flags a family without). */
    private static final Map<String, String> HELP = Map.of(
            "earthling.jobs.submitted", "new jobs that reached the ready queues (client, SQL insert, schedule, split)",
            "earthling.jobs.succeeded", "jobs that ended SUCCEEDED",
            "earthling.jobs.failed", "failed attempts that will be retried",
            "earthling.jobs.dead", "jobs that ended DEAD: their last attempt failed",
            "earthling.jobs.cancelled", "jobs that ended CANCELLED while on a worker");
    /** Counters by (name, queue, type): built once, not per job on the dispatcher's path. */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    /** Queue and type labels: client-chosen names, bounded (limits.maxMetricLabels), the rest counted as "other". */
    private final LabelBudget queues;
    private final LabelBudget types;

    public JobMetrics(MeterRegistry registry) {
        this(registry, io.earthling.manager.InputLimits.DEFAULT.maxMetricLabels());
    }

    public JobMetrics(MeterRegistry registry, int maxLabels) {
        this.registry = registry;
        this.queues = new LabelBudget(maxLabels);
        this.types = new LabelBudget(maxLabels);
        this.dispatch = latency("earthling.dispatch.latency", "from a job's due time until a node accepted it");
        this.pickup = latency("earthling.pickup.latency", "from a job's due time until a worker started it");
        this.refusedBusy = Counter.builder("earthling.intake.refused").tag("reason", "writer_full")
                .description("submissions refused for now (nothing stored; clients retry) because too many new jobs"
                        + " waited for the writer").register(registry);
    }

    /** A submission refused because the writer's queue was full. */
    public void refusedBusy() {
        refusedBusy.increment();
    }

    private Timer latency(String name, String help) {
        return Timer.builder(name).description(help).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    void submitted(ReadyJob j) {
        count("earthling.jobs.submitted", j);
    }

    /** {@code outcome}: succeeded, failed (an attempt that will be retried), dead or cancelled. */
    void outcome(ReadyJob j, String outcome) {
        count("earthling.jobs." + outcome, j);
    }

    void dispatched(long latencyMs) {
        dispatch.record(Duration.ofMillis(Math.max(0, latencyMs)));
    }

    void pickedUp(long latencyMs) {
        pickup.record(Duration.ofMillis(Math.max(0, latencyMs)));
    }

    private void count(String name, ReadyJob j) {
        String queue = queues.label(j.queue());
        String type = types.label(j.type());
        counters.computeIfAbsent(List.of(name, queue, type), k -> Counter.builder(name)
                .description(HELP.getOrDefault(name, "jobs counted as " + name)).tag("queue", queue).tag("type", type)
                .register(registry)).increment();
    }
}

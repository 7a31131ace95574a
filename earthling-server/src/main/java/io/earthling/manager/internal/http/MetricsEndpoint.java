package io.earthling.manager.internal.http;

import io.earthling.protocol.jobs.NodesResponse;
import io.earthling.protocol.jobs.QueuesResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** /metrics in Prometheus text format; queue and node gauges are read from the dispatcher at each scrape. */
public final class MetricsEndpoint {
    private final PrometheusMeterRegistry registry;
    private final ClusterRoutes cluster;
    private final BooleanSupplier leader;
    private final MultiGauge depth;
    private final io.earthling.core.LabelBudget queueLabels =
            new io.earthling.core.LabelBudget(io.earthling.manager.InputLimits.DEFAULT.maxMetricLabels());
    private final MultiGauge oldest;
    private final MultiGauge paused;
    private final MultiGauge nodes;
    private final MultiGauge slots;

    MetricsEndpoint(PrometheusMeterRegistry registry, ClusterRoutes cluster, BooleanSupplier leader) {
        this.registry = registry;
        this.cluster = cluster;
        this.leader = leader;
        this.depth = MultiGauge.builder("earthling.queue.jobs").description("jobs of a queue by state: ready (due),"
                + " delayed (not due yet), running").register(registry);
        this.oldest = MultiGauge.builder("earthling.queue.oldest.ready.age").baseUnit("seconds")
                .description("how long the oldest due job of a queue has waited").register(registry);
        this.paused = MultiGauge.builder("earthling.queue.paused").description("1 while a queue is paused").register(registry);
        this.nodes = MultiGauge.builder("earthling.nodes").description("nodes by status").register(registry);
        this.slots = MultiGauge.builder("earthling.worker.slots").description("worker processes by state, all nodes")
                .register(registry);
    }

    /** A registry with the JVM's and this process's meters bound. */
    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ClassLoaderMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        return r;
    }

    void register(RoutesConfig r) {
        r.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) throws Exception {
        if (leader.getAsBoolean()) {
            try {
                refresh(cluster.queues().get(2, TimeUnit.SECONDS), cluster.nodes().get(2, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // The scrape still answers with what the other meters know.
            }
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private void refresh(QueuesResponse q, NodesResponse n) {
        List<MultiGauge.Row<?>> d = new ArrayList<>();
        List<MultiGauge.Row<?>> o = new ArrayList<>();
        List<MultiGauge.Row<?>> p = new ArrayList<>();
        long now = System.currentTimeMillis();
        // Queue names are the clients': beyond the label budget they are summed into one "other" row (issue 16).
        Map<String, double[]> byLabel = new java.util.LinkedHashMap<>();
        q.getQueuesList().forEach(x -> {
            double[] v = byLabel.computeIfAbsent(queueLabels.label(x.getName()), k -> new double[5]);
            v[0] += x.getReady();
            v[1] += x.getDelayed();
            v[2] += x.getRunning();
            v[3] = Math.max(v[3], x.getOldestReadyMs() <= 0 ? 0 : Math.max(0, now - x.getOldestReadyMs()) / 1000.0);
            v[4] = Math.max(v[4], x.getPaused() ? 1 : 0);
        });
        byLabel.forEach((queue, v) -> {
            d.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "ready"), v[0]));
            d.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "delayed"), v[1]));
            d.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "running"), v[2]));
            o.add(MultiGauge.Row.of(Tags.of("queue", queue), v[3]));
            p.add(MultiGauge.Row.of(Tags.of("queue", queue), v[4]));
        });
        depth.register(d, true);
        oldest.register(o, true);
        paused.register(p, true);
        Map<String, Integer> byStatus = new TreeMap<>(Map.of("ONLINE", 0, "SUSPECT", 0, "DRAINING", 0, "OFFLINE", 0));
        int idle = 0;
        int busy = 0;
        int broken = 0;
        for (var node : n.getNodesList()) {
            byStatus.merge(node.getStatus(), 1, Integer::sum);
            if (!node.getStatus().equals("OFFLINE")) {
                idle += node.getIdleCount();
                busy += Math.min(node.getRunning(), node.getWorkerCount());
                broken += node.getBroken();
            }
        }
        List<MultiGauge.Row<?>> ns = new ArrayList<>();
        byStatus.forEach((s, c) -> ns.add(MultiGauge.Row.of(Tags.of("status", s), c)));
        nodes.register(ns, true);
        slots.register(List.of(MultiGauge.Row.of(Tags.of("state", "idle"), idle),
                MultiGauge.Row.of(Tags.of("state", "busy"), busy), MultiGauge.Row.of(Tags.of("state", "broken"), broken)), true);
    }
}

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
        q.getQueuesList().forEach(x -> {
            d.add(MultiGauge.Row.of(Tags.of("queue", x.getName(), "state", "ready"), x.getReady()));
            d.add(MultiGauge.Row.of(Tags.of("queue", x.getName(), "state", "delayed"), x.getDelayed()));
            d.add(MultiGauge.Row.of(Tags.of("queue", x.getName(), "state", "running"), x.getRunning()));
            o.add(MultiGauge.Row.of(Tags.of("queue", x.getName()),
                    x.getOldestReadyMs() <= 0 ? 0 : Math.max(0, now - x.getOldestReadyMs()) / 1000.0));
            p.add(MultiGauge.Row.of(Tags.of("queue", x.getName()), x.getPaused() ? 1 : 0));
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

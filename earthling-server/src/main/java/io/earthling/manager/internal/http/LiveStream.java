package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.core.MonotonicClock;
import io.earthling.lifecycle.BackgroundLoop;
import io.earthling.store.JobStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** /api/stream: every second, while someone listens, one "cluster" event with nodes, queues, counts and the newest events. */
final class LiveStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
    private static final Duration EVERY = Duration.ofSeconds(1);

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ClusterRoutes cluster;
    private final JobStore store;
    private final BooleanSupplier leader;
    private final Clock clock;
    private final Pusher pusher;
    private final QueueRateSampler sampler;
    private final History history;
    private final NodeLog nodeLog = new NodeLog();
    /** Whether the API needs a token: the dashboard offers "sign out" only then. */
    volatile boolean tokenRequired;
    /** Job events the event log shows: what went wrong or needs a look; ASSIGNED, RUNNING, SUCCEEDED would flood it. */
    static final Set<String> NOTABLE = Set.of("FAILED", "DEAD", "CANCELLED", "RETRIED", "NODE_LOST", "NODE_LEFT",
            "RECOVERED", "TIMED_OUT", "REFUSED");

    /** Starts pushing, and sampling {@code rates}; {@code clock} stamps the events, {@code ticks} times the loops. */
    LiveStream(ClusterRoutes cluster, JobStore store, BooleanSupplier leader, QueueRates rates, History history,
               Clock clock, MonotonicClock ticks) {
        this.cluster = cluster;
        this.store = store;
        this.leader = leader;
        this.clock = clock;
        this.history = history;
        this.pusher = new Pusher(ticks);
        this.sampler = new QueueRateSampler(rates, history, this::depths, this::readNodes, clock, ticks);
        pusher.start();
        sampler.start();
    }

    /** One "cluster" event a second to whoever listens. */
    private final class Pusher extends BackgroundLoop {
        Pusher(MonotonicClock ticks) {
            super("earthling-http-stream", ticks, EVERY);
        }

        @Override
        protected Duration iterate() {
            push();
            return EVERY;
        }
    }

    /** Ready + delayed jobs per queue now, for the charts; empty on a standby or when the dispatcher is slow. */
    private java.util.Map<String, Long> depths() {
        if (!leader.getAsBoolean()) {
            return java.util.Map.of();
        }
        try {
            java.util.Map<String, Long> m = new java.util.HashMap<>();
            cluster.queues().get(2, TimeUnit.SECONDS).getQueuesList()
                    .forEach(q -> m.put(q.getName(), (long) q.getReady() + q.getDelayed()));
            return m;
        } catch (Exception e) {
            return java.util.Map.of();
        }
    }

    private void readNodes() {
        if (!leader.getAsBoolean()) {
            return;
        }
        try {
            nodeLog.observe(cluster.nodes().get(2, TimeUnit.SECONDS).getNodesList(), clock.millis());
        } catch (Exception e) {
            log.debug("No node reading this time ({})", e.toString());
        }
    }

    void register(RoutesConfig r) {
        r.get("/api/cluster", ctx -> Answers.json(ctx, 200, snapshot()));
        r.get("/api/history", ctx -> {
            long m = JobRoutes.intParam(ctx, "minutes", 60L, 1, 60);
            Answers.json(ctx, 200, history.json(clock.millis() - m * 60_000));
        });
        r.sse("/api/stream", client -> {
            client.keepAlive();
            clients.add(client);
            client.onClose(() -> clients.remove(client));
            client.sendEvent("hello", "{}");
        });
    }

    private void push() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            String data = snapshot().toString();
            for (SseClient c : clients) {
                if (c.terminated()) {
                    clients.remove(c);
                } else {
                    c.sendEvent("cluster", data);
                }
            }
        } catch (Exception e) {
            log.debug("No live update this second ({}); trying again in a second", e.toString());
        }
    }

    ObjectNode snapshot() throws Exception {
        ObjectNode o = Views.JSON.createObjectNode().put("atMs", clock.millis())
                .put("leader", leader.getAsBoolean()).put("tokenRequired", tokenRequired);
        if (!leader.getAsBoolean()) {
            return o;
        }
        var nodes = cluster.nodes().get(2, TimeUnit.SECONDS);
        nodeLog.observe(nodes.getNodesList(), clock.millis());
        o.put("epoch", nodes.getEpoch()).put("self", nodes.getLeader());
        o.set("nodes", ClusterRoutes.nodeArray(nodes));
        o.set("queues", cluster.queueArray(cluster.queues().get(2, TimeUnit.SECONDS)));
        ObjectNode counts = o.putObject("counts");
        store.countByState().forEach((s, n) -> counts.put(s.name(), n));
        // Node events and the notable job events, newest first: 40 rows at most.
        java.util.List<ObjectNode> rows = new java.util.ArrayList<>();
        nodeLog.recent().forEach(e -> rows.add(e.json()));
        store.recentEvents(40, NOTABLE, 20_000).forEach(e -> rows.add(Views.event(e)));
        rows.sort(java.util.Comparator.comparingLong((ObjectNode n) -> n.get("atMs").asLong()).reversed());
        var events = o.putArray("events");
        rows.stream().limit(40).forEach(events::add);
        return o;
    }

    @Override
    public void close() {
        pusher.stop();
        sampler.stop();
        clients.forEach(SseClient::close);
    }
}

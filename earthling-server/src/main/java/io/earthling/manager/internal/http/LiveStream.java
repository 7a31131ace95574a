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

    /** Starts pushing, and sampling {@code rates}; {@code clock} stamps the events, {@code ticks} times the loops. */
    LiveStream(ClusterRoutes cluster, JobStore store, BooleanSupplier leader, QueueRates rates, Clock clock,
               MonotonicClock ticks) {
        this.cluster = cluster;
        this.store = store;
        this.leader = leader;
        this.clock = clock;
        this.pusher = new Pusher(ticks);
        this.sampler = new QueueRateSampler(rates, ticks);
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

    void register(RoutesConfig r) {
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
                .put("leader", leader.getAsBoolean());
        if (!leader.getAsBoolean()) {
            return o;
        }
        var nodes = cluster.nodes().get(2, TimeUnit.SECONDS);
        o.put("epoch", nodes.getEpoch()).put("self", nodes.getLeader());
        o.set("nodes", ClusterRoutes.nodeArray(nodes));
        o.set("queues", cluster.queueArray(cluster.queues().get(2, TimeUnit.SECONDS)));
        ObjectNode counts = o.putObject("counts");
        store.countByState().forEach((s, n) -> counts.put(s.name(), n));
        var events = o.putArray("events");
        store.recentEvents(40).forEach(e -> events.add(Views.event(e)));
        return o;
    }

    @Override
    public void close() {
        pusher.stop();
        sampler.stop();
        clients.forEach(SseClient::close);
    }
}

package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.earthling.manager.internal.api.JobsApi;
import io.earthling.protocol.jobs.DrainNodeRequest;
import io.earthling.protocol.jobs.NodesResponse;
import io.earthling.protocol.jobs.PauseQueueRequest;
import io.earthling.protocol.jobs.QueuesResponse;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;

/** /api/queues and /api/nodes: state, pause and resume, drain. */
final class ClusterRoutes {
    private final JobsApi jobs;
    private final QueueRates rates;

    ClusterRoutes(JobsApi jobs, QueueRates rates) {
        this.jobs = jobs;
        this.rates = rates;
    }

    void register(RoutesConfig r) {
        r.get("/api/queues", ctx -> Answers.later(ctx, queues(), 200, v -> Views.JSON.createObjectNode()
                .set("queues", queueArray(v)), null));
        r.post("/api/queues/{name}/pause", ctx -> pause(ctx, true));
        r.post("/api/queues/{name}/resume", ctx -> pause(ctx, false));
        r.get("/api/nodes", ctx -> Answers.later(ctx, nodes(), 200, v -> Views.JSON.createObjectNode()
                .put("leader", v.getLeader()).put("epoch", v.getEpoch()).set("nodes", nodeArray(v)), null));
        r.post("/api/nodes/{id}/drain", ctx -> Answers.later(ctx, Calls.of(() -> jobs.cluster().drain(
                DrainNodeRequest.newBuilder().setNodeId(ctx.pathParam("id")).build())), 200, Views::node, null));
    }

    CompletableFuture<QueuesResponse> queues() {
        return Calls.of(jobs.cluster()::queues);
    }

    CompletableFuture<NodesResponse> nodes() {
        return Calls.of(jobs.cluster()::nodes);
    }

    ArrayNode queueArray(QueuesResponse v) {
        ArrayNode a = Views.JSON.createArrayNode();
        v.getQueuesList().forEach(q -> a.add(queue(q)));
        return a;
    }

    /** A queue with its submitted and finished jobs per second over the last minute. */
    com.fasterxml.jackson.databind.node.ObjectNode queue(io.earthling.protocol.jobs.QueueInfo q) {
        double[] r = rates.perSecond(q.getName());
        return Views.queue(q).put("submittedPerSecond", Math.round(r[0] * 100) / 100.0)
                .put("finishedPerSecond", Math.round(r[1] * 100) / 100.0);
    }

    static ArrayNode nodeArray(NodesResponse v) {
        ArrayNode a = Views.JSON.createArrayNode();
        v.getNodesList().forEach(n -> a.add(Views.node(n)));
        return a;
    }

    private void pause(Context ctx, boolean paused) {
        String name = ctx.pathParam("name");
        Answers.later(ctx, Calls.of(() -> jobs.cluster().pauseQueue(PauseQueueRequest.newBuilder().setQueue(name).setPaused(paused)
                .setCreate("true".equals(ctx.queryParam("create"))).build())), 200, this::queue,
                "no queue named \"" + name + "\"");
    }
}

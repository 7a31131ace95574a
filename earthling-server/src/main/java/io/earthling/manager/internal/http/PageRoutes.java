package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.manager.internal.api.JobsApi;
import io.earthling.manager.internal.api.PipelinesApi;
import io.earthling.protocol.jobs.ListRequest;
import io.earthling.protocol.jobs.ScheduleInfo;
import io.earthling.protocol.pipelines.PipelineStatusRequest;
import io.earthling.protocol.pipelines.PipelineStatusResponse;
import io.earthling.store.SplitStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The dashboard's pages beyond jobs: /api/schedules, /api/pipelines (runs with their stages), split trees. */
final class PageRoutes {
    private static final int MAX_RUNS = 50;
    private static final int MAX_CHILDREN = 200;

    private final JobsApi jobs;
    private final PipelinesApi pipelines;
    private final SplitStore splits;

    PageRoutes(JobsApi jobs, PipelinesApi pipelines, SplitStore splits) {
        this.jobs = jobs;
        this.pipelines = pipelines;
        this.splits = splits;
    }

    void register(RoutesConfig r) {
        r.get("/api/schedules", ctx -> Answers.later(ctx, Calls.of(jobs.schedules()::listSchedules), 200, v -> {
                    ObjectNode o = Views.JSON.createObjectNode();
                    ArrayNode a = o.putArray("schedules");
                    v.getSchedulesList().forEach(s -> a.add(schedule(s)));
                    return o;
                }, null));
        r.get("/api/pipelines", this::runs);
        r.get("/api/pipelines/{id}", ctx -> Answers.later(ctx, Calls.of(() -> pipelines.status(
                PipelineStatusRequest.newBuilder().setRunId(JobRoutes.id(ctx)).build())), 200, PageRoutes::run, null));
        r.get("/api/jobs/{id}/children", this::children);
    }

    static ObjectNode schedule(ScheduleInfo s) {
        ObjectNode o = Views.JSON.createObjectNode().put("name", s.getName()).put("cron", s.getCron())
                .put("timeZone", s.getTimeZone().isEmpty() ? "UTC" : s.getTimeZone()).put("type", s.getType())
                .put("queue", s.getQueue().isEmpty() ? "default" : s.getQueue()).put("origin", s.getOrigin())
                .put("lastTickMs", s.getLastTickMs()).put("nextTickMs", s.getNextTickMs());
        o.put("payload", s.getPayload().isEmpty() ? "{}" : s.getPayload().toStringUtf8());
        return o;
    }

    static ObjectNode run(PipelineStatusResponse v) {
        ObjectNode o = Views.JSON.createObjectNode().put("pipeline", v.getPipeline());
        o.set("run", Views.job(v.getRun()));
        ArrayNode stages = o.putArray("stages");
        v.getStagesList().forEach(s -> {
            ObjectNode st = stages.addObject().put("type", s.getType()).put("state", s.getState())
                    .put("children", s.getChildren()).put("childrenFinal", s.getChildrenFinal());
            if (s.getJobId() > 0) {
                st.put("jobId", s.getJobId());
            }
            if (!s.getError().isEmpty()) {
                st.put("error", s.getError());
            }
        });
        return o;
    }

    /** The newest pipeline runs (not their inner steps), each with its stages. */
    private void runs(Context ctx) {
        long limit = JobRoutes.intParam(ctx, "limit", 20L, 1, MAX_RUNS);
        CompletableFuture<ObjectNode> answer = Calls.of(() -> jobs.list(ListRequest.newBuilder().setType("pipeline")
                .setLimit((int) limit).build())).thenCompose(list -> {
                    List<CompletableFuture<PipelineStatusResponse>> each = list.getJobsList().stream()
                            .map(j -> Calls.of(() -> pipelines.status(PipelineStatusRequest.newBuilder()
                                    .setRunId(j.getId()).build()))).toList();
                    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
                        ObjectNode o = Views.JSON.createObjectNode();
                        ArrayNode runs = o.putArray("runs");
                        each.forEach(f -> runs.add(run(f.join())));
                        return o;
                    });
                });
        Answers.later(ctx, answer, 200, o -> o, null);
    }

    /** A split's children in child order (a page), its gather job, and how many children are final. */
    private void children(Context ctx) {
        long id = JobRoutes.id(ctx);
        long after = JobRoutes.intParam(ctx, "after", 0L, 0, Long.MAX_VALUE);
        int limit = (int) JobRoutes.intParam(ctx, "limit", 100L, 1, MAX_CHILDREN);
        long[] counts = splits.childCounts(id);
        ObjectNode o = Views.JSON.createObjectNode().put("parent", id).put("children", counts[0])
                .put("childrenFinal", counts[1]);
        ArrayNode a = o.putArray("page");
        List<SplitStore.Child> page = splits.children(id, after, limit);
        page.forEach(c -> a.add(child(c)));
        if (page.size() == limit) {
            o.put("nextAfter", page.get(page.size() - 1).id());
        }
        Optional<SplitStore.Child> gather = splits.gatherJob(id);
        gather.ifPresent(g -> o.set("gather", child(g)));
        Answers.json(ctx, 200, o);
    }

    private static ObjectNode child(SplitStore.Child c) {
        ObjectNode o = Views.JSON.createObjectNode().put("id", c.id()).put("state", c.state().name());
        if (c.error() != null) {
            o.put("error", c.error());
        }
        return o;
    }
}

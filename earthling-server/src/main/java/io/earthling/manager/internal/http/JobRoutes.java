package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.manager.internal.api.JobsApi;
import io.earthling.protocol.jobs.CancelJobRequest;
import io.earthling.protocol.jobs.DeleteJobsRequest;
import io.earthling.protocol.jobs.RunNowRequest;
import io.earthling.protocol.jobs.GetRequest;
import io.earthling.protocol.jobs.ListRequest;
import io.earthling.protocol.jobs.RetryRequest;
import io.earthling.protocol.jobs.SubmitBatchRequest;
import io.earthling.protocol.jobs.SubmitRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;

/**
 * /api/jobs: submit one or a batch, list with filters, payload search and paging, get, events, cancel, retry, run now,
 * delete; /api/queues/{name}/retry and /api/queues/{name}/dead (DELETE): the bulk actions on a queue's DEAD jobs.
 */
final class JobRoutes {
    static final int MAX_PAGE = 1000;

    private final JobsApi jobs;

    JobRoutes(JobsApi jobs) {
        this.jobs = jobs;
    }

    void register(RoutesConfig r) {
        r.post("/api/jobs", this::submit);
        r.post("/api/jobs/batch", this::submitBatch);
        r.get("/api/jobs", this::list);
        r.get("/api/jobs/{id}", ctx -> Answers.later(ctx, Calls.of(() -> jobs.get(get(ctx))), 200, Views::job, null));
        r.get("/api/jobs/{id}/events", this::events);
        r.post("/api/jobs/{id}/cancel", ctx -> Answers.later(ctx,
                Calls.of(() -> jobs.cancel(CancelJobRequest.newBuilder().setId(id(ctx)).build())), 200, Views::job, null));
        r.post("/api/jobs/{id}/retry", ctx -> retry(ctx, RetryRequest.newBuilder().addIds(id(ctx)).build()));
        r.post("/api/queues/{name}/retry", ctx -> retry(ctx, RetryRequest.newBuilder().setQueue(ctx.pathParam("name"))
                .setType(ctx.queryParam("type") == null ? "" : ctx.queryParam("type")).build()));
        r.post("/api/jobs/{id}/run-now", ctx -> Answers.later(ctx,
                Calls.of(() -> jobs.operator().runNow(RunNowRequest.newBuilder().setId(id(ctx)).build())), 200, Views::job, null));
        r.delete("/api/jobs/{id}", ctx -> delete(ctx, DeleteJobsRequest.newBuilder().addIds(id(ctx)).build()));
        r.delete("/api/queues/{name}/dead", ctx -> delete(ctx, DeleteJobsRequest.newBuilder()
                .setQueue(ctx.pathParam("name")).setType(orEmpty(ctx.queryParam("type"))).build()));
    }

    private void submit(Context ctx) {
        SubmitRequest req = SubmitJson.parse(Views.parse(ctx.body()), "");
        Answers.later(ctx, Calls.of(() -> jobs.submit(req)), 201,
                v -> Views.JSON.createObjectNode().put("id", v.getId()), null);
    }

    private void submitBatch(Context ctx) {
        JsonNode body = Views.parse(ctx.body());
        JsonNode list = body.get("jobs");
        if (!body.isObject() || list == null || !list.isArray()) {
            throw new HttpProblem(400, "jobs: required, a list of job objects");
        }
        SubmitBatchRequest.Builder b = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < list.size(); i++) {
            b.addJobs(SubmitJson.parse(list.get(i), "jobs[" + i + "]."));
        }
        Answers.later(ctx, Calls.of(() -> jobs.submitBatch(b.build())), 201, v -> {
            ObjectNode o = Views.JSON.createObjectNode();
            ArrayNode ids = o.putArray("ids");
            v.getIdsList().forEach(ids::add);
            return o;
        }, null);
    }

    private void list(Context ctx) {
        int limit = intParam(ctx, "limit", 50, 1, MAX_PAGE);
        long before = intParam(ctx, "before", 0, 0, Long.MAX_VALUE);
        ListRequest req = ListRequest.newBuilder().setLimit(limit).setBeforeId(before)
                .setState(orEmpty(ctx.queryParam("state"))).setQueue(orEmpty(ctx.queryParam("queue")))
                .setType(orEmpty(ctx.queryParam("type"))).setInternal("true".equals(ctx.queryParam("internal")))
                .setSearch(orEmpty(ctx.queryParam("q"))).build();
        Answers.later(ctx, Calls.of(() -> jobs.list(req)), 200, v -> {
            ObjectNode o = Views.JSON.createObjectNode();
            o.set("jobs", Views.jobs(v.getJobsList()));
            if (v.getJobsCount() == limit) {
                o.put("nextBefore", v.getJobs(v.getJobsCount() - 1).getId());
            }
            return o;
        }, null);
    }

    private void events(Context ctx) {
        Answers.later(ctx, Calls.of(() -> jobs.events(get(ctx))), 200, v -> {
            ArrayNode a = Views.JSON.createArrayNode();
            v.getEventsList().forEach(e -> a.add(Views.event(e)));
            return Views.JSON.createObjectNode().set("events", a);
        }, null);
    }

    private void retry(Context ctx, RetryRequest req) {
        CompletableFuture<io.earthling.protocol.jobs.RetryResponse> f = Calls.of(() -> jobs.operator().retry(req));
        Answers.later(ctx, f, 200, v -> {
            ObjectNode o = Views.JSON.createObjectNode();
            ArrayNode ids = o.putArray("ids");
            v.getIdsList().forEach(ids::add);
            return o;
        }, null);
    }

    private void delete(Context ctx, DeleteJobsRequest req) {
        Answers.later(ctx, Calls.of(() -> jobs.operator().delete(req)), 200, v -> {
            ObjectNode o = Views.JSON.createObjectNode();
            ArrayNode ids = o.putArray("ids");
            v.getIdsList().forEach(ids::add);
            return o;
        }, null);
    }

    private static GetRequest get(Context ctx) {
        return GetRequest.newBuilder().setId(id(ctx)).build();
    }

    static long id(Context ctx) {
        String s = ctx.pathParam("id");
        try {
            long id = Long.parseLong(s);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpProblem(400, "id: not a job id: \"" + s + "\"");
    }

    static long intParam(Context ctx, String name, long def, long min, long max) {
        String s = ctx.queryParam(name);
        if (s == null || s.isEmpty()) {
            return def;
        }
        try {
            long v = Long.parseLong(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpProblem(400, name + ": expected a whole number in " + min + ".." + max + ", got \"" + s + "\"");
    }

    private static int intParam(Context ctx, String name, int def, int min, int max) {
        return (int) intParam(ctx, name, (long) def, min, max);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

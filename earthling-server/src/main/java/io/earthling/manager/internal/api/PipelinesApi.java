package io.earthling.manager.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.manager.internal.split.TreeCancel;
import io.earthling.protocol.pipelines.PipelineStage;
import io.earthling.protocol.pipelines.PipelineStatusRequest;
import io.earthling.protocol.pipelines.PipelineStatusResponse;
import io.earthling.store.JobStore;
import io.earthling.store.SplitStore;
import io.earthling.store.StoredJob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Pipeline runs, transport-neutral: per-stage progress of a run, and cancelling a whole run. A run of stages S1..Sk is the run of S1..S(k-1) (its first child) gathered by
 * Sk (its gather job), down to S1 as the only child of a one-stage run; the walk follows that shape in the database.
 */
public final class PipelinesApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore jobs;
    private final SplitStore splits;

    private final Supplier<Leadership> leader;

    public PipelinesApi(JobStore jobs, SplitStore splits, Supplier<Leadership> leader) {
        this.jobs = jobs;
        this.splits = splits;
        this.leader = leader;
    }

    /** Cancels every job of a run that has not ended; answers the run's stages as they are then. */
    public CompletableFuture<PipelineStatusResponse> cancel(PipelineStatusRequest r) {
        Leadership l = leader.get();
        if (l == null) {
            throw Refusal.unavailable("this manager is a standby; ask the leader");
        }
        StoredJob run = run(r.getRunId());
        if (run.state().isFinal()) {
            throw Refusal.conflict("pipeline run " + r.getRunId() + " already ended " + run.state() + "; nothing to cancel");
        }
        TreeCancel.cancel(r.getRunId(), jobs, splits, l);
        return status(r);
    }

    public CompletableFuture<PipelineStatusResponse> status(PipelineStatusRequest r) {
        StoredJob run = run(r.getRunId());
        JsonNode payload;
        try {
            payload = JSON.readTree(run.payload());
        } catch (IOException e) {
            throw new IllegalStateException("pipeline run " + r.getRunId() + " has an unreadable payload", e);
        }
        List<String> stages = new ArrayList<>();
        payload.path("stages").forEach(s -> stages.add(s.asText()));
        PipelineStatusResponse.Builder b = PipelineStatusResponse.newBuilder()
                .setRun(Convert.info(run, false)).setPipeline(payload.path("pipeline").asText(""));
        walk(r.getRunId(), stages, b);
        return CompletableFuture.completedFuture(b.build());
    }

    private StoredJob run(long id) {
        Optional<StoredJob> run = jobs.get(id);
        if (run.isEmpty() || !run.get().type().equals("pipeline")) {
            throw Refusal.notFound("no pipeline run with id " + id);
        }
        return run.get();
    }

    private void walk(long runJob, List<String> stages, PipelineStatusResponse.Builder b) {
        Optional<SplitStore.Child> first = splits.children(runJob, 0, 1).stream().findFirst();
        if (stages.size() == 1) {
            b.addStages(stage(stages.get(0), first));
            return;
        }
        List<String> head = stages.subList(0, stages.size() - 1);
        if (first.isPresent()) {
            walk(first.get().id(), head, b);
        } else {
            head.forEach(t -> b.addStages(stage(t, Optional.empty())));
        }
        b.addStages(stage(stages.get(stages.size() - 1), splits.gatherJob(runJob)));
    }

    private PipelineStage stage(String type, Optional<SplitStore.Child> job) {
        PipelineStage.Builder s = PipelineStage.newBuilder().setType(type);
        if (job.isEmpty()) {
            return s.setState("NOT_STARTED").build();
        }
        long[] counts = splits.childCounts(job.get().id());
        return s.setJobId(job.get().id()).setState(job.get().state().name()).setChildren(counts[0])
                .setChildrenFinal(counts[1]).setError(job.get().error() == null ? "" : job.get().error()).build();
    }
}

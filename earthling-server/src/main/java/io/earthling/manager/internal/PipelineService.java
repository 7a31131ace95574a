package io.earthling.manager.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.protocol.pipelines.PipelineStage;
import io.earthling.protocol.pipelines.PipelineStatusRequest;
import io.earthling.protocol.pipelines.PipelineStatusResponse;
import io.earthling.protocol.pipelines.PipelinesGrpc;
import io.earthling.store.JobStore;
import io.earthling.store.SplitStore;
import io.earthling.store.StoredJob;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Per-stage progress of a pipeline run. A run of stages S1..Sk is the run of S1..S(k-1) (its first child) gathered by
 * Sk (its gather job), down to S1 as the only child of a one-stage run; the walk follows that shape in the database.
 */
public final class PipelineService extends PipelinesGrpc.PipelinesImplBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore jobs;
    private final SplitStore splits;

    private final Supplier<Leadership> leader;

    public PipelineService(JobStore jobs, SplitStore splits, Supplier<Leadership> leader) {
        this.jobs = jobs;
        this.splits = splits;
        this.leader = leader;
    }

    @Override
    public void cancel(PipelineStatusRequest r, StreamObserver<PipelineStatusResponse> out) {
        Leadership l = leader.get();
        if (l == null) {
            out.onError(Status.UNAVAILABLE.withDescription("standby, not the leader").asRuntimeException());
            return;
        }
        Optional<StoredJob> run = jobs.get(r.getRunId());
        if (run.isEmpty() || !run.get().type().equals("pipeline")) {
            out.onError(Status.NOT_FOUND.withDescription("no pipeline run with id " + r.getRunId()).asRuntimeException());
            return;
        }
        if (run.get().state().isFinal()) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("pipeline run " + r.getRunId() + " already ended "
                    + run.get().state() + "; nothing to cancel").asRuntimeException());
            return;
        }
        TreeCancel.cancel(r.getRunId(), jobs, splits, l);
        status(r, out);
    }

    @Override
    public void status(PipelineStatusRequest r, StreamObserver<PipelineStatusResponse> out) {
        Optional<StoredJob> run = jobs.get(r.getRunId());
        if (run.isEmpty() || !run.get().type().equals("pipeline")) {
            out.onError(Status.NOT_FOUND.withDescription("no pipeline run with id " + r.getRunId()).asRuntimeException());
            return;
        }
        try {
            JsonNode payload = JSON.readTree(run.get().payload());
            List<String> stages = new ArrayList<>();
            payload.path("stages").forEach(s -> stages.add(s.asText()));
            PipelineStatusResponse.Builder b = PipelineStatusResponse.newBuilder()
                    .setRun(Convert.info(run.get(), false)).setPipeline(payload.path("pipeline").asText(""));
            walk(r.getRunId(), stages, b);
            out.onNext(b.build());
            out.onCompleted();
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription("pipeline run " + r.getRunId() + ": " + e.getMessage())
                    .asRuntimeException());
        }
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

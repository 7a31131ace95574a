package io.earthling.manager.internal.rpc;

import io.earthling.manager.internal.api.JobsApi;
import io.earthling.protocol.jobs.CancelJobRequest;
import io.earthling.protocol.jobs.DeleteScheduleRequest;
import io.earthling.protocol.jobs.DrainNodeRequest;
import io.earthling.protocol.jobs.EventsResponse;
import io.earthling.protocol.jobs.GetRequest;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.ListRequest;
import io.earthling.protocol.jobs.ListResponse;
import io.earthling.protocol.jobs.ListSchedulesRequest;
import io.earthling.protocol.jobs.ListSchedulesResponse;
import io.earthling.protocol.jobs.NodeInfo;
import io.earthling.protocol.jobs.NodesRequest;
import io.earthling.protocol.jobs.NodesResponse;
import io.earthling.protocol.jobs.PauseQueueRequest;
import io.earthling.protocol.jobs.QueueInfo;
import io.earthling.protocol.jobs.QueuesRequest;
import io.earthling.protocol.jobs.QueuesResponse;
import io.earthling.protocol.jobs.RetryRequest;
import io.earthling.protocol.jobs.RetryResponse;
import io.earthling.protocol.jobs.ScheduleInfo;
import io.earthling.protocol.jobs.SubmitBatchRequest;
import io.earthling.protocol.jobs.SubmitBatchResponse;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.protocol.jobs.SubmitResponse;
import io.earthling.protocol.jobs.WaitRequest;
import io.earthling.protocol.jobs.WaitResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The {@code Jobs} gRPC service: each call handed to {@link JobsApi}, its answer or refusal sent back as gRPC. */
public final class JobsService extends JobsGrpc.JobsImplBase {
    private final JobsApi api;

    public JobsService(JobsApi api) {
        this.api = api;
    }

    @Override
    public void submit(SubmitRequest r, StreamObserver<SubmitResponse> out) {
        reply(() -> api.submit(r), out);
    }

    @Override
    public void submitBatch(SubmitBatchRequest r, StreamObserver<SubmitBatchResponse> out) {
        reply(() -> api.submitBatch(r), out);
    }

    @Override
    public void get(GetRequest r, StreamObserver<JobInfo> out) {
        reply(() -> api.get(r), out);
    }

    @Override
    public void events(GetRequest r, StreamObserver<EventsResponse> out) {
        reply(() -> api.events(r), out);
    }

    @Override
    public void list(ListRequest r, StreamObserver<ListResponse> out) {
        reply(() -> api.list(r), out);
    }

    @Override
    public void retry(RetryRequest r, StreamObserver<RetryResponse> out) {
        reply(() -> api.operator().retry(r), out);
    }

    @Override
    public void runNow(io.earthling.protocol.jobs.RunNowRequest r, StreamObserver<JobInfo> out) {
        reply(() -> api.operator().runNow(r), out);
    }

    @Override
    public void deleteJobs(io.earthling.protocol.jobs.DeleteJobsRequest r,
                           StreamObserver<io.earthling.protocol.jobs.DeleteJobsResponse> out) {
        reply(() -> api.operator().delete(r), out);
    }

    @Override
    public void purge(io.earthling.protocol.jobs.PurgeRequest r,
                      StreamObserver<io.earthling.protocol.jobs.PurgeResponse> out) {
        reply(() -> api.purges().purge(r), out);
    }

    @Override
    public void cancel(CancelJobRequest r, StreamObserver<JobInfo> out) {
        reply(() -> api.cancel(r), out);
    }

    @Override
    public void wait(WaitRequest r, StreamObserver<WaitResponse> out) {
        reply(() -> api.await(r), out);
    }

    @Override
    public void nodes(NodesRequest r, StreamObserver<NodesResponse> out) {
        reply(api.cluster()::nodes, out);
    }

    @Override
    public void drain(DrainNodeRequest r, StreamObserver<NodeInfo> out) {
        reply(() -> api.cluster().drain(r), out);
    }

    @Override
    public void queues(QueuesRequest r, StreamObserver<QueuesResponse> out) {
        reply(api.cluster()::queues, out);
    }

    @Override
    public void pauseQueue(PauseQueueRequest r, StreamObserver<QueueInfo> out) {
        reply(() -> api.cluster().pauseQueue(r), out);
    }

    @Override
    public void createSchedule(ScheduleInfo r, StreamObserver<ScheduleInfo> out) {
        reply(() -> api.schedules().createSchedule(r), out);
    }

    @Override
    public void listSchedules(ListSchedulesRequest r, StreamObserver<ListSchedulesResponse> out) {
        reply(api.schedules()::listSchedules, out);
    }

    @Override
    public void deleteSchedule(DeleteScheduleRequest r, StreamObserver<ScheduleInfo> out) {
        reply(() -> api.schedules().deleteSchedule(r), out);
    }

    /** Sends the call's one answer, or its refusal mapped by {@link ErrorMapping}; a refusal may come at once. */
    static <T> void reply(Supplier<CompletableFuture<T>> call, StreamObserver<T> out) {
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            out.onError(ErrorMapping.status(e));
            return;
        }
        f.whenComplete((v, err) -> {
            if (err != null) {
                out.onError(ErrorMapping.status(err));
            } else {
                out.onNext(v);
                out.onCompleted();
            }
        });
    }
}

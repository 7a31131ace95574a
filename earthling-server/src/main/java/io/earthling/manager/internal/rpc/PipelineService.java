package io.earthling.manager.internal.rpc;

import io.earthling.manager.internal.api.PipelinesApi;
import io.earthling.protocol.pipelines.PipelineStatusRequest;
import io.earthling.protocol.pipelines.PipelineStatusResponse;
import io.earthling.protocol.pipelines.PipelinesGrpc;
import io.grpc.stub.StreamObserver;

/** The {@code Pipelines} gRPC service over {@link PipelinesApi}. */
public final class PipelineService extends PipelinesGrpc.PipelinesImplBase {
    private final PipelinesApi api;

    public PipelineService(PipelinesApi api) {
        this.api = api;
    }

    @Override
    public void cancel(PipelineStatusRequest r, StreamObserver<PipelineStatusResponse> out) {
        JobsService.reply(() -> api.cancel(r), out);
    }

    @Override
    public void status(PipelineStatusRequest r, StreamObserver<PipelineStatusResponse> out) {
        JobsService.reply(() -> api.status(r), out);
    }
}

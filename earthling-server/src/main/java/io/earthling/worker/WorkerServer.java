package io.earthling.worker;

import com.google.protobuf.ByteString;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.ExecuteResponse;
import io.earthling.protocol.worker.InterruptRequest;
import io.earthling.protocol.worker.InterruptResponse;
import io.earthling.protocol.worker.TypesRequest;
import io.earthling.protocol.worker.TypesResponse;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;

/** The gRPC face of a worker process: its assistant calls Execute for one job at a time. */
public final class WorkerServer extends WorkerGrpc.WorkerImplBase {
    private final HandlerRegistry registry;
    private final JobRunner runner;

    public WorkerServer(HandlerRegistry registry) {
        this.registry = registry;
        this.runner = new JobRunner(registry);
    }

    @Override
    public void execute(ExecuteRequest r, StreamObserver<ExecuteResponse> out) {
        Outcome o = runner.run(new Execution(r.getJobId(), r.getType(), r.getQueue(),
                r.getPayload().toString(StandardCharsets.UTF_8), r.getAttempt(), r.getTimeoutMs()));
        out.onNext(toResponse(o));
        out.onCompleted();
    }

    @Override
    public void interrupt(InterruptRequest r, StreamObserver<InterruptResponse> out) {
        out.onNext(InterruptResponse.newBuilder().setFound(runner.interrupt(r.getJobId())).build());
        out.onCompleted();
    }

    @Override
    public void types(TypesRequest r, StreamObserver<TypesResponse> out) {
        out.onNext(TypesResponse.newBuilder().addAllTypes(registry.types()).setPid(ProcessHandle.current().pid()).build());
        out.onCompleted();
    }

    public static ExecuteResponse toResponse(Outcome o) {
        ExecuteResponse.Builder b = ExecuteResponse.newBuilder().setOk(o.ok()).setRetryable(o.retryable())
                .setCancelled(o.cancelled());
        if (o.result() != null) {
            b.setResult(ByteString.copyFromUtf8(o.result()));
        }
        if (o.error() != null) {
            b.setError(o.error());
        }
        if (o.log() != null) {
            b.setLog(o.log());
        }
        return b.build();
    }
}

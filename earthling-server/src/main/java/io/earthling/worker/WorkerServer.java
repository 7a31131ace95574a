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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The gRPC face of a worker process: its assistant sends jobs on one {@code Work} stream, and they run one after
 * another on the job thread, which also sends each answer back.
 */
public final class WorkerServer extends WorkerGrpc.WorkerImplBase {
    private final HandlerRegistry registry;
    private final JobRunner runner;
    private final ExecutorService jobThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "earthling-job");
        t.setDaemon(true);
        return t;
    });

    public WorkerServer(HandlerRegistry registry) {
        this.registry = registry;
        this.runner = new JobRunner(registry);
    }

    @Override
    public StreamObserver<ExecuteRequest> work(StreamObserver<ExecuteResponse> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ExecuteRequest r) {
                jobThread.execute(() -> answer(out, run(r)));
            }

            @Override
            public void onError(Throwable t) {
                // the assistant went away; its jobs are reported lost on its side
            }

            @Override
            public void onCompleted() {
                jobThread.execute(out::onCompleted);
            }
        };
    }

    private static void answer(StreamObserver<ExecuteResponse> out, ExecuteResponse r) {
        try {
            out.onNext(r);
        } catch (RuntimeException e) {
            // The stream is gone (its assistant died or opened a new one); that side reports the job lost.
        }
    }

    private ExecuteResponse run(ExecuteRequest r) {
        Outcome o = runner.run(new Execution(r.getJobId(), r.getType(), r.getQueue(),
                r.getPayload().toString(StandardCharsets.UTF_8), r.getAttempt(), r.getTimeoutMs()));
        return toResponse(r.getJobId(), o);
    }

    @Override
    public void interrupt(InterruptRequest r, StreamObserver<InterruptResponse> out) {
        out.onNext(InterruptResponse.newBuilder().setFound(runner.interrupt(r.getJobId())).build());
        out.onCompleted();
    }

    @Override
    public void tail(io.earthling.protocol.worker.TailRequest r,
                     StreamObserver<io.earthling.protocol.worker.TailResponse> out) {
        io.earthling.protocol.worker.TailResponse.Builder b = io.earthling.protocol.worker.TailResponse.newBuilder();
        runner.logSoFar(r.getJobId()).ifPresent(log -> b.setFound(true).setLog(log));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void types(TypesRequest r, StreamObserver<TypesResponse> out) {
        out.onNext(TypesResponse.newBuilder().addAllTypes(registry.types()).setPid(ProcessHandle.current().pid()).build());
        out.onCompleted();
    }

    public static ExecuteResponse toResponse(long jobId, Outcome o) {
        ExecuteResponse.Builder b = ExecuteResponse.newBuilder().setJobId(jobId).setOk(o.ok()).setRetryable(o.retryable())
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

package io.earthling.worker;

import com.google.protobuf.ByteString;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.ExecuteResponse;
import io.earthling.protocol.worker.WorkBatch;
import io.earthling.protocol.worker.InterruptRequest;
import io.earthling.protocol.worker.InterruptResponse;
import io.earthling.protocol.worker.TypesRequest;
import io.earthling.protocol.worker.TypesResponse;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.earthling.worker.internal.WorkQueue;

/**
 * The gRPC face of a worker process: its assistant sends jobs on one {@code Work} stream, and they run one after
 * another on the job thread, which also sends each answer back. Jobs waiting behind one that runs longer than
 * {@link #SLOW_MS} go back to the assistant.
 */
public final class WorkerServer extends WorkerGrpc.WorkerImplBase {
    /** A job running longer than this is slow: nothing should wait behind it in this process. */
    public static final long SLOW_MS = 10;

    private final HandlerRegistry registry;
    private final JobRunner runner;
    private final ExecutorService jobThread = Executors.newSingleThreadExecutor(r -> daemon(r, "earthling-job"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "earthling-hand-back"));
    private volatile WorkQueue queue;
    private final java.util.concurrent.atomic.AtomicReference<WorkQueue> open =
            new java.util.concurrent.atomic.AtomicReference<>();

    public WorkerServer(HandlerRegistry registry) {
        this.registry = registry;
        this.runner = new JobRunner(registry);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * The one open stream. A second one while it is open is refused, never replaces it (issue 16, item 5): its
     * assistant opens a new stream only after the old one broke, which ends it here too.
     */
    @Override
    public StreamObserver<WorkBatch> work(StreamObserver<AnswerBatch> out) {
        WorkQueue q = new WorkQueue(this::run, out, jobThread, timer, SLOW_MS);
        if (!open.compareAndSet(null, q)) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("a Work stream is already open on this worker")
                    .asRuntimeException());
            return new StreamObserver<>() {
                public void onNext(WorkBatch b) {
                }

                public void onError(Throwable t) {
                }

                public void onCompleted() {
                }
            };
        }
        queue = q;
        return new StreamObserver<>() {
            @Override
            public void onNext(WorkBatch b) {
                q.addAll(b.getJobsList());
            }

            @Override
            public void onError(Throwable t) {
                // The assistant went away or gave up on this stream: it runs the waiting jobs elsewhere.
                q.abandon();
                open.compareAndSet(q, null);
            }

            @Override
            public void onCompleted() {
                q.end();
                open.compareAndSet(q, null);
            }
        };
    }

    private ExecuteResponse run(ExecuteRequest r) {
        long started = System.currentTimeMillis();
        Outcome o = runner.run(new Execution(r.getJobId(), r.getType(), r.getQueue(),
                r.getPayload().toString(StandardCharsets.UTF_8), r.getAttempt(), r.getTimeoutMs()));
        return response(r.getJobId(), o).setStartedAtMs(started).setFinishedAtMs(System.currentTimeMillis()).build();
    }

    @Override
    public void interrupt(InterruptRequest r, StreamObserver<InterruptResponse> out) {
        WorkQueue q = queue;
        boolean found = runner.interrupt(r.getJobId()) || q != null && q.cancelWaiting(r.getJobId());
        out.onNext(InterruptResponse.newBuilder().setFound(found).build());
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
        return response(jobId, o).build();
    }

    private static ExecuteResponse.Builder response(long jobId, Outcome o) {
        ExecuteResponse.Builder b = ExecuteResponse.newBuilder().setJobId(jobId).setOk(o.ok()).setRetryable(o.retryable())
                .setCancelled(o.cancelled()).setSplit(o.split());
        if (o.result() != null) {
            b.setResult(ByteString.copyFromUtf8(o.result()));
        }
        if (o.error() != null) {
            b.setError(o.error());
        }
        if (o.log() != null) {
            b.setLog(o.log());
        }
        return b;
    }
}

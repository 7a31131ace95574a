package io.earthling.worker.internal;

import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.ExecuteResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The jobs of one {@code Work} stream, run one after another on the job thread in the order they came. Jobs that
 * wait behind one running longer than {@code slowMs} are handed back, so that they run on another worker instead
 * of waiting for this one; a job that arrives behind such a job is handed back at once.
 */
public final class WorkQueue {
    private final Function<ExecuteRequest, ExecuteResponse> run;
    private final StreamObserver<ExecuteResponse> out;
    private final Executor jobThread;
    private final ScheduledExecutorService timer;
    private final long slowNanos;
    private final ArrayDeque<ExecuteRequest> queued = new ArrayDeque<>();
    private ExecuteRequest current;
    private long currentSince;
    private boolean draining;
    private boolean ended;
    private ScheduledFuture<?> check;

    public WorkQueue(Function<ExecuteRequest, ExecuteResponse> run, StreamObserver<ExecuteResponse> out,
                     Executor jobThread, ScheduledExecutorService timer, long slowMs) {
        this.run = run;
        this.out = out;
        this.jobThread = jobThread;
        this.timer = timer;
        this.slowNanos = TimeUnit.MILLISECONDS.toNanos(slowMs);
    }

    public synchronized void add(ExecuteRequest r) {
        if (current != null && System.nanoTime() - currentSince >= slowNanos) {
            send(returned(r.getJobId()));
            return;
        }
        queued.add(r);
        if (!draining) {
            draining = true;
            jobThread.execute(this::drain);
        } else {
            watchCurrent();
        }
    }

    /** The stream ends: the jobs already here still run, then the answer stream completes. */
    public synchronized void end() {
        ended = true;
        if (!draining) {
            completeOut();
        }
    }

    /**
     * The stream broke or was replaced: the jobs still waiting are dropped unstarted (the assistant runs them
     * elsewhere), the running one ends, and nothing more is answered here.
     */
    public synchronized void abandon() {
        queued.clear();
        ended = true;
    }

    /** Removes a job that has not started; its answer says cancelled. False if it is not waiting here. */
    public synchronized boolean cancelWaiting(long jobId) {
        boolean removed = queued.removeIf(r -> r.getJobId() == jobId);
        if (removed) {
            send(ExecuteResponse.newBuilder().setJobId(jobId).setCancelled(true).setError("cancelled before it started")
                    .build());
        }
        return removed;
    }

    private void drain() {
        while (true) {
            ExecuteRequest r;
            synchronized (this) {
                r = queued.poll();
                if (r == null) {
                    draining = false;
                    if (ended) {
                        completeOut();
                    }
                    return;
                }
                current = r;
                currentSince = System.nanoTime();
                watchCurrent();
            }
            ExecuteResponse answer = run.apply(r);
            synchronized (this) {
                current = null;
            }
            send(answer);
        }
    }

    /** Makes sure a check runs once the current job turns slow, while anything waits behind it. */
    private void watchCurrent() {
        if (check == null && current != null && !queued.isEmpty()) {
            long left = slowNanos - (System.nanoTime() - currentSince);
            check = timer.schedule(this::handBackIfSlow, Math.max(0, left), TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void handBackIfSlow() {
        check = null;
        if (current != null && System.nanoTime() - currentSince >= slowNanos) {
            for (ExecuteRequest r; (r = queued.poll()) != null; ) {
                send(returned(r.getJobId()));
            }
        }
        watchCurrent();
    }

    private static ExecuteResponse returned(long jobId) {
        return ExecuteResponse.newBuilder().setJobId(jobId).setReturned(true).build();
    }

    private void send(ExecuteResponse r) {
        synchronized (out) {
            try {
                out.onNext(r);
            } catch (RuntimeException e) {
                // The stream is gone (its assistant died or opened a new one); that side reports the job lost.
            }
        }
    }

    private void completeOut() {
        synchronized (out) {
            try {
                out.onCompleted();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }
}

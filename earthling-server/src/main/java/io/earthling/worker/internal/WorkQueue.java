package io.earthling.worker.internal;

import io.earthling.grpc.MessageSizes;
import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.ExecuteResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The jobs of one {@code Work} stream, run one after another on the job thread in the order they came. Jobs that
 * wait behind one running longer than {@code slowMs} are handed back, so that they run on another worker instead
 * of waiting for this one; a job that arrives behind such a job is handed back at once.
 *
 * <p>While more jobs wait here, answers are held and sent together: when nothing waits any more, after
 * {@link #MAX_HELD} answers or {@link MessageSizes#BATCH_BYTES} of them, or {@link #HOLD_MS} after the first of them,
 * whichever comes first.
 */
public final class WorkQueue {
    static final long HOLD_MS = 1;
    static final int MAX_HELD = 32;

    private final Function<ExecuteRequest, ExecuteResponse> run;
    private final StreamObserver<AnswerBatch> out;
    private final Executor jobThread;
    private final ScheduledExecutorService timer;
    private final long slowNanos;
    private final ArrayDeque<ExecuteRequest> queued = new ArrayDeque<>();
    private final List<ExecuteResponse> held = new ArrayList<>();
    private long heldSince;
    private long heldBytes;
    private ExecuteRequest current;
    private long currentSince;
    private boolean draining;
    private boolean ended;
    private ScheduledFuture<?> check;

    public WorkQueue(Function<ExecuteRequest, ExecuteResponse> run, StreamObserver<AnswerBatch> out,
                     Executor jobThread, ScheduledExecutorService timer, long slowMs) {
        this.run = run;
        this.out = out;
        this.jobThread = jobThread;
        this.timer = timer;
        this.slowNanos = TimeUnit.MILLISECONDS.toNanos(slowMs);
    }

    public synchronized void add(ExecuteRequest r) {
        addAll(List.of(r));
    }

    public synchronized void addAll(List<ExecuteRequest> jobs) {
        List<ExecuteResponse> handedBack = new ArrayList<>();
        for (ExecuteRequest r : jobs) {
            if (current != null && System.nanoTime() - currentSince >= slowNanos) {
                handedBack.add(returned(r.getJobId()));
            } else {
                queued.add(r);
            }
        }
        if (!handedBack.isEmpty()) {
            sendWithHeld(handedBack);
        }
        if (queued.isEmpty()) {
            return;
        }
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
        held.clear();
        ended = true;
    }

    /** Removes a job that has not started; its answer says cancelled. False if it is not waiting here. */
    public synchronized boolean cancelWaiting(long jobId) {
        boolean removed = queued.removeIf(r -> r.getJobId() == jobId);
        if (removed) {
            sendWithHeld(List.of(ExecuteResponse.newBuilder().setJobId(jobId).setCancelled(true)
                    .setError("cancelled before it started").build()));
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
                    sendWithHeld(List.of());
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
                hold(answer);
            }
        }
    }

    /** Holds an answer while more jobs wait; sends what is held once nothing waits, too much or too long is held. */
    private void hold(ExecuteResponse answer) {
        held.add(answer);
        heldBytes += answer.getSerializedSize();
        long now = System.nanoTime();
        if (held.size() == 1) {
            heldSince = now;
            if (!queued.isEmpty()) {
                timer.schedule(this::sendIfHeldTooLong, HOLD_MS, TimeUnit.MILLISECONDS);
            }
        }
        if (queued.isEmpty() || held.size() >= MAX_HELD || heldBytes >= MessageSizes.BATCH_BYTES || now - heldSince >= TimeUnit.MILLISECONDS.toNanos(HOLD_MS)) {
            sendWithHeld(List.of());
        }
    }

    private synchronized void sendIfHeldTooLong() {
        if (!held.isEmpty() && System.nanoTime() - heldSince >= TimeUnit.MILLISECONDS.toNanos(HOLD_MS)) {
            sendWithHeld(List.of());
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
            List<ExecuteResponse> handedBack = new ArrayList<>();
            for (ExecuteRequest r; (r = queued.poll()) != null; ) {
                handedBack.add(returned(r.getJobId()));
            }
            sendWithHeld(handedBack);
        }
        watchCurrent();
    }

    private static ExecuteResponse returned(long jobId) {
        return ExecuteResponse.newBuilder().setJobId(jobId).setReturned(true).build();
    }

    /** Sends the held answers and then {@code more}, as one message; holds the lock of this queue. */
    private void sendWithHeld(List<ExecuteResponse> more) {
        if (held.isEmpty() && more.isEmpty()) {
            return;
        }
        AnswerBatch batch = AnswerBatch.newBuilder().addAllAnswers(held).addAllAnswers(more).build();
        held.clear();
        heldBytes = 0;
        synchronized (out) {
            try {
                out.onNext(batch);
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

package io.earthling.worker;

import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;
import io.earthling.worker.internal.AttemptContext;
import io.earthling.worker.internal.AttemptContext.Stop;
import io.earthling.worker.internal.Json;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import io.earthling.api.Split;
import io.earthling.api.internal.IssuedSplits;

/** Runs attempts in the calling thread, with timeouts and cancellation by interrupt. Thread-safe. */
public final class JobRunner {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final HandlerRegistry registry;
    private final Map<Long, AttemptContext> running = new ConcurrentHashMap<>();

    public JobRunner(HandlerRegistry registry) {
        this.registry = registry;
    }

    public Outcome run(Execution execution) {
        Optional<JobHandler> handler = registry.find(execution.type());
        if (handler.isEmpty()) {
            return Outcome.failed("unknown job type '" + execution.type() + "' (this worker runs: "
                    + String.join(", ", io.earthling.api.internal.InternalTypes.visible(registry.types())) + ")", false, "");
        }
        AttemptContext context = new AttemptContext(execution, Thread.currentThread());
        running.put(execution.jobId(), context);
        ScheduledFuture<?> timeout = execution.timeoutMs() <= 0 ? null
                : TIMER.schedule(() -> context.stop(Stop.TIMED_OUT), execution.timeoutMs(), TimeUnit.MILLISECONDS);
        Outcome outcome;
        try {
            String result = handler.get().handle(context);
            outcome = IssuedSplits.issued(result) ? splitOf(result, context)
                    : resultOf(handler.get().keepsResult() ? result : null, context);
        } catch (JobFailure f) {
            outcome = Outcome.failed(f.getMessage(), f.retryable(), context.logText());
        } catch (Exception | LinkageError | AssertionError e) {
            outcome = Outcome.failed(e.getClass().getName() + ": " + e.getMessage(), true, context.logText());
        } finally {
            context.finish();
            running.remove(execution.jobId(), context);
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
        return stopped(execution, context).orElse(outcome);
    }

    /** What the running attempt of {@code jobId} has logged so far; empty if none runs. */
    public Optional<String> logSoFar(long jobId) {
        return Optional.ofNullable(running.get(jobId)).map(AttemptContext::logText);
    }

    /** Cancels the running attempt of {@code jobId}; its outcome is {@code cancelled}. False if none runs. */
    public boolean interrupt(long jobId) {
        AttemptContext context = running.get(jobId);
        return context != null && context.stop(Stop.CANCELLED);
    }

    /**
     * A split is what {@link Split#toResult()} made in this process, never a text that looks like one (issue 16,
     * item 7); it must parse. An action job's result is dropped; a split is kept whatever the handler is.
     */
    private static Outcome splitOf(String plan, AttemptContext context) {
        try {
            Split.parse(plan).orElseThrow();
            return Outcome.split(plan, context.logText());
        } catch (RuntimeException e) {
            return Outcome.failed("handler returned a malformed split: " + e.getMessage(), false, context.logText());
        }
    }

    private static Outcome resultOf(String result, AttemptContext context) {
        if (result == null || Json.isValid(result)) {
            return Outcome.succeeded(result, context.logText());
        }
        return Outcome.failed("handler returned invalid JSON", false, context.logText());
    }

    /** A stopped attempt ends as stopped whatever the handler did after the interrupt. */
    private static Optional<Outcome> stopped(Execution execution, AttemptContext context) {
        if (context.stopped() == null) {
            return Optional.empty();
        }
        Thread.interrupted(); // the interrupt was meant for the handler, not for whoever called run()
        return Optional.of(context.stopped() == Stop.TIMED_OUT
                ? Outcome.failed("timed out after " + execution.timeoutMs() + " ms", true, context.logText())
                : Outcome.cancelled(context.logText()));
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "earthling-job-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}

package io.earthling.worker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.worker.Execution;

/** The {@link JobContext} of one running attempt; it can be cancelled from another thread once. */
public final class AttemptContext implements JobContext {
    public enum Stop { TIMED_OUT, CANCELLED }

    private final Execution execution;
    private final Thread runner;
    private final LogBuffer log = new LogBuffer();
    private volatile JsonNode payloadJson;
    private volatile Stop stop;
    private boolean finished;

    public AttemptContext(Execution execution, Thread runner) {
        this.execution = execution;
        this.runner = runner;
    }

    /** Flags the attempt and interrupts its thread; false if it already ended or was stopped. */
    public synchronized boolean stop(Stop why) {
        if (finished || stop != null) {
            return false;
        }
        stop = why;
        runner.interrupt();
        return true;
    }

    /** After this no stop can interrupt the runner thread any more. */
    public synchronized void finish() {
        finished = true;
    }

    public Stop stopped() {
        return stop;
    }

    public String logText() {
        return log.toString();
    }

    @Override public long jobId() { return execution.jobId(); }
    @Override public int attempt() { return execution.attempt(); }
    @Override public String type() { return execution.type(); }
    @Override public String queue() { return execution.queue(); }
    @Override public String payload() { return execution.payload(); }
    @Override public void log(String line) { log.append(line); }
    @Override public boolean isCancelled() { return stop != null; }

    @Override
    public JsonNode payloadJson() {
        if (payloadJson == null) {
            try {
                String text = execution.payload();
                payloadJson = Json.MAPPER.readTree(text == null || text.isBlank() ? "{}" : text);
            } catch (JsonProcessingException e) {
                throw new JobFailure("payload is not valid JSON: " + e.getOriginalMessage(), false);
            }
        }
        return payloadJson;
    }
}

package io.earthling.worker;

/** One attempt of a job to run; {@code timeoutMs <= 0} means no timeout. */
public record Execution(long jobId, String type, String queue, String payload, int attempt, long timeoutMs) {
}

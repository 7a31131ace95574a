package io.earthling.config;

/**
 * Caps on what a client may submit, on the result a function job may store, and on the new jobs that may wait for
 * the manager's writer before intake answers "busy, retry" ({@code RESOURCE_EXHAUSTED} / HTTP 429).
 */
public record Limits(int maxPayloadBytes, int maxBatch, int maxResultBytes, int maxQueuedInserts,
                     io.earthling.manager.InputLimits input) {

    public Limits(int maxPayloadBytes, int maxBatch, int maxResultBytes, int maxQueuedInserts) {
        this(maxPayloadBytes, maxBatch, maxResultBytes, maxQueuedInserts, io.earthling.manager.InputLimits.DEFAULT);
    }

    public static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_QUEUED_INSERTS = 50_000;

    public Limits(int maxPayloadBytes, int maxBatch) {
        this(maxPayloadBytes, maxBatch, DEFAULT_MAX_RESULT_BYTES);
    }

    public Limits(int maxPayloadBytes, int maxBatch, int maxResultBytes) {
        this(maxPayloadBytes, maxBatch, maxResultBytes, DEFAULT_MAX_QUEUED_INSERTS);
    }

}

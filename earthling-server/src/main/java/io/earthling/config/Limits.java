package io.earthling.config;

/** Caps on what a client may submit, and on the result a function job may store. */
public record Limits(int maxPayloadBytes, int maxBatch, int maxResultBytes) {
    public static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;

    public Limits(int maxPayloadBytes, int maxBatch) {
        this(maxPayloadBytes, maxBatch, DEFAULT_MAX_RESULT_BYTES);
    }

}

package io.earthling.config;

/** Caps on what a client may submit. */
public record Limits(int maxPayloadBytes, int maxBatch) {
}

package io.earthling.api;

/**
 * One job of a submission: its id, and whether this submission created it or found it already stored under its
 * idempotency key (then nothing new was created).
 */
public record Submitted(long id, boolean created) {
}

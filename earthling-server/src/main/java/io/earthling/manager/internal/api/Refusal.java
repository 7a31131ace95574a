package io.earthling.manager.internal.api;

import io.earthling.api.EarthlingException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why the manager's API did not do what it was asked, in words a caller can act on, and whether trying again can
 * help. Transport-neutral: {@link ErrorMapping} turns it into a gRPC {@code Status} or an HTTP problem, in one place.
 */
public final class Refusal extends EarthlingException {
    /** What kind of no this is; each maps to one gRPC code and one HTTP status. */
    public enum Reason {
        /** The request itself is wrong: fix it, do not retry. */
        INVALID,
        NOT_FOUND,
        /** It exists already (a schedule's name, a taken idempotency key with other content). */
        EXISTS,
        /** The target's state does not allow it (retry of a job that is not DEAD, cancel of a finished one). */
        CONFLICT,
        /** Not now: no leader, no store, no worker yet. Retried by clients, after {@link #retryAfterMs} if set. */
        UNAVAILABLE,
        /** Too much at once: nothing was stored; retry after {@link #retryAfterMs}. */
        BUSY
    }

    private final Reason reason;
    private final long retryAfterMs;

    private Refusal(Reason reason, String message, long retryAfterMs) {
        super(message);
        this.reason = reason;
        this.retryAfterMs = retryAfterMs;
    }

    public static Refusal invalid(String message) {
        return new Refusal(Reason.INVALID, message, 0);
    }

    public static Refusal notFound(String message) {
        return new Refusal(Reason.NOT_FOUND, message, 0);
    }

    public static Refusal exists(String message) {
        return new Refusal(Reason.EXISTS, message, 0);
    }

    public static Refusal conflict(String message) {
        return new Refusal(Reason.CONFLICT, message, 0);
    }

    public static Refusal unavailable(String message) {
        return new Refusal(Reason.UNAVAILABLE, message, 0);
    }

    public static Refusal unavailable(String message, long retryAfterMs) {
        return new Refusal(Reason.UNAVAILABLE, message, retryAfterMs);
    }

    public static Refusal busy(String message, long retryAfterMs) {
        return new Refusal(Reason.BUSY, message, retryAfterMs);
    }

    /** The throwable a future failed with, without the wrappers {@code CompletableFuture} adds. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    public Reason reason() {
        return reason;
    }

    /** How long a caller should wait before trying again; 0 when the refusal carries no hint. */
    public long retryAfterMs() {
        return retryAfterMs;
    }
}

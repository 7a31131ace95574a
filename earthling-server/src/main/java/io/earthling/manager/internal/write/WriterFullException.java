package io.earthling.manager.internal.write;

import io.earthling.api.EarthlingException;

/**
 * Intake refused for now: more new jobs wait for the writer than {@code limits.maxQueuedInserts}. Nothing was stored;
 * the caller retries after {@link #retryAfterMs} (gRPC {@code RESOURCE_EXHAUSTED}, HTTP 429 with Retry-After).
 */
public final class WriterFullException extends EarthlingException {
    /** How long a client should wait before it tries again. */
    public static final long RETRY_AFTER_MS = 100;

    WriterFullException(int queued, int limit) {
        super("the manager is busy: " + queued + " new jobs wait to be stored (limits.maxQueuedInserts " + limit
                + "); nothing was stored, retry in " + RETRY_AFTER_MS + " ms");
    }

    public long retryAfterMs() {
        return RETRY_AFTER_MS;
    }
}

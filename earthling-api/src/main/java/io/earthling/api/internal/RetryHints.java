package io.earthling.api.internal;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * A refusal that stored nothing and is worth trying again (the manager's writer is full, or no worker of the type has
 * reached a new leader yet) carries {@link #KEY} in its trailers: how many milliseconds to wait. The Java client (and
 * so the CLI) retries such calls with backoff; any other failure is final for it.
 */
public final class RetryHints {
    /** Trailer with the milliseconds to wait before trying again. */
    public static final Metadata.Key<String> KEY = Metadata.Key.of("earthling-retry-after-ms",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final long MAX_WAIT_MS = 2_000;

    private RetryHints() {
    }

    /** {@code status} as an exception whose trailers say: retry after {@code ms}. */
    public static StatusRuntimeException retryAfter(Status status, long ms) {
        Metadata trailers = new Metadata();
        trailers.put(KEY, Long.toString(ms));
        return status.asRuntimeException(trailers);
    }

    /** The wait the refusal asks for, or -1 if it is not one to retry. */
    public static long hintMs(StatusRuntimeException e) {
        Metadata t = e.getTrailers();
        String v = t == null ? null : t.get(KEY);
        if (v == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException ignored) {
            return -1;
        }
    }

    /**
     * Runs {@code call} until it succeeds, fails for good, or {@code budgetMs} has passed: a retryable refusal waits
     * its hint, doubled each time up to 2 s.
     */
    public static <T> T retrying(Supplier<T> call, long budgetMs) {
        long deadline = System.nanoTime() + budgetMs * 1_000_000;
        long backoff = 0;
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                long hint = hintMs(e);
                if (hint < 0) {
                    throw e;
                }
                backoff = Math.min(MAX_WAIT_MS, Math.max(hint, backoff * 2));
                if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}

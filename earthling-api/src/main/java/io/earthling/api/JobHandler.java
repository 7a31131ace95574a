package io.earthling.api;

/**
 * Runs one job type. Implementations are found with {@link java.util.ServiceLoader} on the classpath and in
 * jars under the {@code handlers/} directory. Delivery is at-least-once: use {@link JobContext#jobId()} and
 * {@link JobContext#attempt()} to make effects idempotent.
 */
public interface JobHandler {
    /** The job type this handler runs, e.g. {@code "echo"}. */
    String type();

    /** Runs one attempt; returns the result as JSON text (or null for none). Throw to fail the attempt. */
    String handle(JobContext context) throws Exception;

    /**
     * True (the default) for a function job: its result is stored (up to the manager's
     * {@code limits.maxResultBytes}) and returned to clients. False for an action job: it runs for its effects and
     * its result is dropped. Either may answer with a {@link Split} instead of a result.
     */
    default boolean keepsResult() {
        return true;
    }
}

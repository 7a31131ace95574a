package io.earthling.manager.internal.leadership;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes things one after another: a step that fails (or finds the thread interrupted) is logged and the next
 * step still runs, so one failure never leaves the rest of a manager running.
 */
public final class Teardown {
    private static final Logger log = LoggerFactory.getLogger(Teardown.class);

    /** One thing to close, named for the log. */
    public record Step(String name, Runnable close) {
    }

    private Teardown() {
    }

    public static Step step(String name, Runnable close) {
        return new Step(name, close);
    }

    /** Runs every step in order; a step's failure is logged, never thrown. Keeps the thread's interrupt status. */
    public static void run(String what, Step... steps) {
        boolean interrupted = Thread.interrupted(); // a step that waits must not fail on an interrupt from before
        for (Step s : steps) {
            try {
                s.close().run();
            } catch (RuntimeException | Error e) {
                log.warn("{}: closing {} failed ({}); closing the rest", what, s.name(), e.toString());
            } finally {
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.earthling.assistant.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Work that hands over several things at once (a worker's batch of answers) and actions that each of them would
 * trigger (refilling the freed workers): inside {@link #run}, {@link #later} runs each action once, at the end, so
 * the refill of all the freed workers goes out as one message per worker.
 */
final class Batched {
    private static final ThreadLocal<Set<Runnable>> AFTER = new ThreadLocal<>();

    private Batched() {
    }

    /** Runs {@code work}; the actions it passes to {@link #later} run once each, after it. */
    static void run(Runnable work) {
        if (AFTER.get() != null) {
            work.run();
            return;
        }
        Set<Runnable> after = new LinkedHashSet<>();
        AFTER.set(after);
        try {
            work.run();
        } finally {
            AFTER.remove();
        }
        after.forEach(Runnable::run);
    }

    /** Runs {@code action} now, or once at the end of the enclosing {@link #run} (the same object, once). */
    static void later(Runnable action) {
        Set<Runnable> after = AFTER.get();
        if (after == null) {
            action.run();
        } else {
            after.add(action);
        }
    }
}

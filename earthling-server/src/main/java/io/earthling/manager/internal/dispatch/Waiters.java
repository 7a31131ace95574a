package io.earthling.manager.internal.dispatch;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Callers waiting for jobs to become final; completed once the final state is durable. The dispatcher and writer
 * threads call {@link #done}, so the futures complete on a pool of their own: what a waiter does next (read the
 * job from the store) never runs on an owner thread (docs/architecture.md, "Threads").
 */
public final class Waiters {
    private static final Executor COMPLETIONS = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "earthling-waiters");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Where callbacks that read the store after an owner thread's write run (never on the owner thread). */
    public static Executor callbacks() {
        return COMPLETIONS;
    }

    /** Register before reading the job's state, so a completion in between is not missed. */
    public CompletableFuture<Void> waitFor(long id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    public void done(long id) {
        CompletableFuture<Void> f = waiting.remove(id);
        if (f != null) {
            COMPLETIONS.execute(() -> f.complete(null));
        }
    }

    public void forget(long id, CompletableFuture<Void> f) {
        waiting.remove(id, f);
    }
}

package io.earthling.manager.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Callers waiting for jobs to become final; completed once the final state is durable. */
public final class Waiters {
    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Register before reading the job's state, so a completion in between is not missed. */
    CompletableFuture<Void> waitFor(long id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void done(long id) {
        CompletableFuture<Void> f = waiting.remove(id);
        if (f != null) {
            f.complete(null);
        }
    }

    void forget(long id, CompletableFuture<Void> f) {
        waiting.remove(id, f);
    }
}

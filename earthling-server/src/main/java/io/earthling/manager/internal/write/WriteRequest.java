package io.earthling.manager.internal.write;

import io.earthling.store.Inserted;
import io.earthling.store.NewJob;
import io.earthling.store.StateChange;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** New jobs or state changes handed to the {@link WriteBatcher}; answered once every part of it is written. */
final class WriteRequest {
    final List<NewJob> jobs;
    final List<StateChange> changes;
    /** Finished jobs to delete (see {@link WriteBatcher#deleteFinished}); null for other requests. */
    final List<Long> deletes;
    final CompletableFuture<List<Long>> deleted = new CompletableFuture<>();
    /** Whether its changes may wait for later changes of their jobs (see {@link WriteBatcher#deferHeld}). */
    final boolean lazy;
    final CompletableFuture<List<Inserted>> inserted = new CompletableFuture<>();
    final CompletableFuture<boolean[]> applied = new CompletableFuture<>();
    private final boolean[] results;
    private int left;

    WriteRequest(List<NewJob> jobs, List<StateChange> changes, boolean lazy) {
        this(jobs, changes, lazy, null);
    }

    WriteRequest(List<NewJob> jobs, List<StateChange> changes, boolean lazy, List<Long> deletes) {
        this.deletes = deletes;
        this.jobs = jobs;
        this.changes = changes;
        this.lazy = lazy;
        this.results = new boolean[changes == null ? 0 : changes.size()];
        this.left = results.length;
        if (changes != null && changes.isEmpty()) {
            applied.complete(results);
        }
    }

    int size() {
        return jobs != null ? jobs.size() : deletes != null ? deletes.size() : changes.size();
    }

    /** The outcome of change {@code i}; only on the writer's thread. Its parts may land in different batches. */
    void answer(int i, boolean ok) {
        results[i] = ok;
        if (--left == 0) {
            applied.complete(results);
        }
    }

    void fail(Throwable t) {
        inserted.completeExceptionally(t);
        applied.completeExceptionally(t);
        deleted.completeExceptionally(t);
    }
}

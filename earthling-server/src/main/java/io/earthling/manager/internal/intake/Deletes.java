package io.earthling.manager.internal.intake;

import io.earthling.manager.internal.write.WriteBatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes finished jobs through the writer, a chunk at a time: each chunk is one writer request, and the next is handed
 * over only when the previous is written, so the hot writes of running jobs go on in between however many are deleted.
 * For an operator's bulk delete today and retention by age later (issue 17).
 */
public final class Deletes {
    /** Ids per writer request: one transaction of the store (JobStore.deleteFinished). */
    static final int CHUNK = 500;

    private Deletes() {
    }

    /** Completes with the ids deleted, in chunk order; fails on the first chunk that fails (earlier ones stay deleted). */
    public static CompletableFuture<List<Long>> apply(WriteBatcher writer, List<Long> ids) {
        List<Long> deleted = new ArrayList<>(ids.size());
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = List.copyOf(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
            chain = chain.thenCompose(v -> writer.deleteFinished(chunk)).thenAccept(deleted::addAll);
        }
        return chain.thenApply(v -> deleted);
    }
}

package io.earthling.manager.internal.intake;

import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;

import io.earthling.core.ReadyJob;
import io.earthling.manager.internal.dispatch.ReadyJobs;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.store.JobQuery;
import io.earthling.store.JobStore;
import io.earthling.store.StateChange;
import io.earthling.store.StoredJob;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Brings DEAD jobs back: DEAD -> PENDING with a fresh attempt budget, then into the ready queues like a submission. */
public final class Retries {
    private static final int PAGE = 1000;

    private Retries() {
    }

    /** Every DEAD job of a queue (of one type if {@code type} is not null). */
    public static List<StoredJob> deadIn(JobStore store, String queue, String type) {
        List<StoredJob> all = new ArrayList<>();
        long before = 0;
        while (true) {
            List<StoredJob> page = store.list(new JobQuery(DEAD, queue, type, before, PAGE));
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            before = page.get(page.size() - 1).id();
        }
    }

    /** Writes the moves through the group commit, then offers the jobs that moved; completes with their ids. */
    public static CompletableFuture<List<Long>> apply(Leadership l, List<StoredJob> dead, long nowMs) {
        if (dead.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<StateChange> changes = new ArrayList<>(dead.size());
        for (StoredJob j : dead) {
            changes.add(StateChange.of(j.id(), EnumSet.of(DEAD), PENDING).attempts(0).runAt(nowMs)
                    .event("RETRIED", "by request after " + j.attempts() + " attempts; last error: " + j.error()).build());
        }
        return l.writer().apply(changes).thenApply(applied -> {
            List<Long> ids = new ArrayList<>();
            List<ReadyJob> ready = new ArrayList<>();
            for (int i = 0; i < applied.length; i++) {
                if (applied[i]) {
                    StoredJob j = dead.get(i);
                    ids.add(j.id());
                    ready.add(ReadyJobs.of(j).again(nowMs, 0));
                }
            }
            l.dispatcher().offer(ready);
            return ids;
        });
    }
}

package io.earthling.manager.internal.api;

import io.earthling.api.JobState;
import io.earthling.core.Retention;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.manager.internal.retention.RetentionSweep;
import io.earthling.protocol.jobs.PurgeRequest;
import io.earthling.protocol.jobs.PurgeResponse;
import io.earthling.store.JobStore;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An operator's purge: one retention pass ({@link RetentionSweep}) with the operator's age, states and queue, on a
 * thread of its own (one purge at a time, a few queued), so no request thread waits on a long delete.
 */
public final class PurgeApi {
    private static final ThreadPoolExecutor PURGES = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(4), r -> {
                Thread t = new Thread(r, "earthling-purge");
                t.setDaemon(true);
                return t;
            });

    private final Supplier<Leadership> leading;
    private final JobStore store;
    private final Clock clock;

    PurgeApi(Supplier<Leadership> leading, JobStore store, Clock clock) {
        this.leading = leading;
        this.store = store;
        this.clock = clock;
    }

    public CompletableFuture<PurgeResponse> purge(PurgeRequest r) {
        Leadership l = leading.get();
        if (r.getOlderThanMs() <= 0) {
            throw Refusal.invalid("purge: --older-than must be a positive age (like 7d), got " + r.getOlderThanMs() + " ms");
        }
        Map<JobState, Long> ages = new EnumMap<>(JobState.class);
        for (String s : r.getStatesList().isEmpty() ? List.of("SUCCEEDED", "DEAD", "CANCELLED") : r.getStatesList()) {
            JobState state;
            try {
                state = JobState.valueOf(s.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                state = null;
            }
            if (state == null || !state.isFinal()) {
                throw Refusal.invalid("purge: \"" + s + "\" is not a final state (SUCCEEDED, DEAD, CANCELLED)");
            }
            ages.put(state, r.getOlderThanMs());
        }
        Retention policy = r.getQueue().isEmpty() ? new Retention(ages, Map.of())
                : new Retention(Map.of(), Map.of(r.getQueue(), ages));
        try {
            return CompletableFuture.supplyAsync(() -> PurgeResponse.newBuilder()
                    .setDeleted(new RetentionSweep(store, l.writer(), clock, policy).runToEnd()).build(), PURGES);
        } catch (RejectedExecutionException e) {
            throw Refusal.busy("purge: " + (PURGES.getQueue().size() + 1) + " purges are running or queued; try later",
                    10_000);
        }
    }
}

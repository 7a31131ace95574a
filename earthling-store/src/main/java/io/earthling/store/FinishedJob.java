package io.earthling.store;

import io.earthling.api.JobState;

/**
 * A finished job as retention sees it: its final state, queue, parent (0 = none), and when it was created and
 * finished (epoch ms).
 */
public record FinishedJob(long id, JobState state, String queue, long parentId, long createdAtMs, long finishedAtMs) {
}

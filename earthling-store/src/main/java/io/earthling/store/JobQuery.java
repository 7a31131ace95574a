package io.earthling.store;

import io.earthling.api.JobState;

/** A filter for {@link JobStore#list}; null fields match anything; {@code beforeId} pages backwards (0 = newest). */
public record JobQuery(JobState state, String queue, String type, long beforeId, int limit) {
}

package io.earthling.store;

import io.earthling.api.JobState;

/**
 * A filter for {@link JobStore#list}; null fields match anything; {@code beforeId} pages backwards (0 = newest).
 * {@code internal}: also the jobs a pipeline run makes for itself (an inner {@code pipeline} job, one with a parent,
 * and {@code pipeline-pass}); users see the run and its stages, not these.
 */
public record JobQuery(JobState state, String queue, String type, long beforeId, int limit, boolean internal) {

    public JobQuery(JobState state, String queue, String type, long beforeId, int limit) {
        this(state, queue, type, beforeId, limit, true);
    }
}

package io.earthling.store;

import io.earthling.api.JobState;

/**
 * A filter for {@link JobStore#list}; null fields match anything; {@code beforeId} pages backwards (0 = newest).
 * {@code internal}: also the jobs a pipeline run makes for itself (an inner {@code pipeline} job, one with a parent,
 * and {@code pipeline-pass}); users see the run and its stages, not these. {@code search}: only jobs whose payload
 * contains this text (case-sensitive, no wildcards), looked for among the {@link #SEARCH_SCAN} newest ids below the
 * page's start, so a search costs a bounded range scan however large the table is.
 */
public record JobQuery(JobState state, String queue, String type, long beforeId, int limit, boolean internal,
                       String search) {
    /** How many ids below the page's start a payload search looks at. */
    public static final int SEARCH_SCAN = 100_000;
    /** The longest search text. */
    public static final int MAX_SEARCH = 200;

    public JobQuery {
        if (search != null && search.isEmpty()) {
            search = null;
        }
        if (search != null && search.length() > MAX_SEARCH) {
            throw new IllegalArgumentException("search: at most " + MAX_SEARCH + " characters, got " + search.length());
        }
    }

    public JobQuery(JobState state, String queue, String type, long beforeId, int limit, boolean internal) {
        this(state, queue, type, beforeId, limit, internal, null);
    }

    public JobQuery(JobState state, String queue, String type, long beforeId, int limit) {
        this(state, queue, type, beforeId, limit, true, null);
    }
}

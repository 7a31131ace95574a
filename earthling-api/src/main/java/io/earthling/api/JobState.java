package io.earthling.api;

/**
 * The states of a job; the allowed moves between them live in {@code io.earthling.core.Transitions}. A job that
 * answered with a {@link Split} is WAITING for its children, then GATHERING while its gather job runs.
 */
public enum JobState {
    PENDING, ASSIGNED, RUNNING, SUCCEEDED, DEAD, CANCELLED, WAITING, GATHERING;

    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}

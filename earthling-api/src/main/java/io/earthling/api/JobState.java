package io.earthling.api;

/** The states of a job; the allowed moves between them live in {@code io.earthling.core.Transitions}. */
public enum JobState {
    PENDING, ASSIGNED, RUNNING, SUCCEEDED, DEAD, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}

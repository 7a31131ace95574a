package io.earthling.store;

import java.util.Set;

/** What operators set on queues that must outlive a leader: which queues are paused. */
public interface QueueStates {

    Set<String> paused();

    /** Pauses or resumes {@code queue}; fenced like every write. */
    void setPaused(String queue, boolean paused, long epoch);
}

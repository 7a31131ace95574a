package io.earthling.manager.internal.dispatch;

import io.earthling.store.NodeRoster;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the leader's list of online nodes to the store off the dispatcher thread, newest list only: a burst of
 * registrations becomes one or two writes. A failed write is logged and the next change writes again; a new leader
 * that reads a stale list only waits a grace longer for a node that is gone.
 */
public final class RosterKeeper {
    private static final Logger log = LoggerFactory.getLogger(RosterKeeper.class);
    private static final java.util.concurrent.ExecutorService WRITES = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "earthling-roster");
                t.setDaemon(true);
                return t;
            });

    private final NodeRoster roster;
    private final long epoch;
    private final AtomicReference<List<String>> next = new AtomicReference<>();

    public RosterKeeper(NodeRoster roster, long epoch) {
        this.roster = roster;
        this.epoch = epoch;
    }

    /** Any thread; returns at once. */
    public void save(List<String> nodeIds) {
        if (next.getAndSet(nodeIds) == null) {
            WRITES.execute(this::write);
        }
    }

    private void write() {
        List<String> ids = next.getAndSet(null);
        if (ids == null) {
            return;
        }
        try {
            roster.save(epoch, ids);
        } catch (RuntimeException e) {
            log.warn("Could not record the {} online nodes ({}); the next change records them", ids.size(),
                    e.getMessage());
        }
    }
}

package io.earthling.manager.internal.dispatch;

import io.earthling.core.ReadyJob;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's periodic pass, every 250 ms on its thread: its own pauses (a fresh grace, not lost nodes), nodes
 * gone silent, jobs held or unreported since a takeover, and jobs waiting for a worker of their type.
 */
final class Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    static final long EVERY_MS = 250;

    private final NodeTable nodes;
    private final InFlightTable inFlight;
    private final Reconciler reconciler;
    private final Completions completions;
    private final Runnable rosterChanged;
    private final Consumer<ReadyJob> offer;
    /** Passes so far: a test signal, so tests wait for a pass instead of sleeping. */
    private volatile long passes;

    Housekeeping(NodeTable nodes, InFlightTable inFlight, Reconciler reconciler, Completions completions,
                 Runnable rosterChanged, Consumer<ReadyJob> offer) {
        this.nodes = nodes;
        this.inFlight = inFlight;
        this.reconciler = reconciler;
        this.completions = completions;
        this.rosterChanged = rosterChanged;
        this.offer = offer;
    }

    long passes() {
        return passes;
    }

    void pass(long mono) {
        passes++;
        NodeTable.Sweep sweep = nodes.sweep(mono);
        if (sweep.pausedMs() > 0) {
            log.warn("This leader did not run for {} ms (paused, or starved of CPU): its nodes get a fresh grace"
                    + " instead of being declared lost", sweep.pausedMs());
            reconciler.paused(inFlight.view(), sweep.pausedMs());
        }
        for (Node n : sweep.lost()) {
            List<Long> lost = inFlight.on(n.id);
            log.warn("Node {} missed heartbeats for {} ms: offline; {} of its jobs go back to the ready queue",
                    n.id, mono - n.lastSeenMs, lost.size());
            completions.putBack(lost, "NODE_LOST", n.id + " went offline");
        }
        if (!sweep.lost().isEmpty()) {
            rosterChanged.run();
        }
        List<ReadyJob> unheld = reconciler.holdExpired(mono);
        if (!unheld.isEmpty()) {
            log.info("{} PENDING jobs held since the takeover run now: the grace for the previous leader's nodes is"
                    + " over", unheld.size());
            unheld.forEach(offer);
        }
        List<Long> unconfirmed = reconciler.expired(inFlight.view(), mono);
        if (!unconfirmed.isEmpty()) {
            log.info("{} jobs from the previous leader were not reported by any node; they run again", unconfirmed.size());
            completions.putBack(unconfirmed, "RECOVERED", "not reported by any node after a leader change");
        }
        completions.reviewWaiting();
    }
}

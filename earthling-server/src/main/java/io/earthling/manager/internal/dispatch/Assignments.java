package io.earthling.manager.internal.dispatch;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.PENDING;

import io.earthling.core.ReadyJob;
import io.earthling.core.ReadyQueues;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.store.StateChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One dispatch round on the dispatcher thread: due jobs matched to free nodes ({@link NodeTable#pick}), grouped per
 * node, recorded ASSIGNED through the writer and handed to {@link Deliveries}. Runs only on the dispatcher thread.
 */
final class Assignments {
    /** Jobs no free node can take, looked past per dispatch round: bounded, as they are polled again each round. */
    private static final int MAX_SET_ASIDE = 64;

    private final ReadyQueues ready;
    private final NodeTable nodes;
    private final InFlightTable inFlight;
    private final WriteBatcher writer;
    private final Deliveries deliveries;
    private final Clock clock;
    private final NodeEvents nodeEvents;
    private final Completions completions;

    Assignments(ReadyQueues ready, NodeTable nodes, InFlightTable inFlight, WriteBatcher writer, Deliveries deliveries,
                Clock clock, NodeEvents nodeEvents, Completions completions) {
        this.ready = ready;
        this.nodes = nodes;
        this.inFlight = inFlight;
        this.writer = writer;
        this.deliveries = deliveries;
        this.clock = clock;
        this.nodeEvents = nodeEvents;
        this.completions = completions;
    }

    void round(long now) {
        Map<Node, List<InFlight>> groups = new LinkedHashMap<>();
        // A job no free node can take (its type runs elsewhere) must not hold up the jobs behind it.
        List<ReadyJob> noRoom = new ArrayList<>();
        while (ready.hasDue() && nodes.anyFree() && noRoom.size() < MAX_SET_ASIDE) {
            ReadyJob job = ready.poll(now);
            if (job == null) {
                break; // every queue with due jobs is paused or at a limit
            }
            Node node = nodes.pick(job.type());
            if (node == null) {
                noRoom.add(job);
                continue;
            }
            InFlight f = new InFlight(job, job.nextAttempt(), node.id, false, true);
            inFlight.track(f);
            groups.computeIfAbsent(node, n -> new ArrayList<>()).add(f);
        }
        noRoom.forEach(j -> ready.add(j, 0));
        groups.forEach(this::assign);
    }

    /**
     * Delivers at once and records ASSIGNED off the job's path: the writer defers it up to its linger, so a quick
     * job's ASSIGNED, RUNNING and outcome become one row write (see {@link WriteBatcher}). The writer keeps order, so
     * a job's later changes land after its ASSIGNED; if it gives up, this manager stops leading and a new leader's
     * {@link Reconciler} adopts what the nodes report. Nothing is delivered once the lease might have lapsed unseen.
     */
    private void assign(Node node, List<InFlight> flights) {
        if (!deliveries.leaseFresh()) {
            flights.forEach(f -> {
                inFlight.untrack(f.job.id());
                ready.add(f.job, 0);
            });
            return;
        }
        List<StateChange> changes = new ArrayList<>(flights.size());
        for (InFlight f : flights) {
            changes.add(StateChange.of(f.job.id(), EnumSet.of(PENDING), ASSIGNED).node(node.id)
                    .event("ASSIGNED", null).attempts(-1).build());
        }
        writer.deferHeld(changes);
        deliveries.send(node, flights, clock.millis(), new Deliveries.Answers() {
            @Override
            public void started(long jobId, String worker) {
                InFlight f = inFlight.get(jobId);
                // Accepted without a worker: it waits there, and shows RUNNING once its outcome says when it started.
                if (f != null && !f.running) {
                    nodeEvents.markRunning(f, worker);
                }
            }

            @Override
            public void refused(List<Long> ids, String event, String detail) {
                completions.requeue(ids, event, detail);
            }

            @Override
            public void failed(List<Long> ids, String event, String detail) {
                completions.putBack(ids, event, detail);
            }
        });
    }
}

package io.earthling.manager.internal.dispatch;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;

import io.earthling.core.MonotonicClock;
import io.earthling.core.ReadyJob;
import io.earthling.core.ReadyQueues;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.RunningJob;
import io.earthling.store.StateChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What nodes say, on the dispatcher thread: registrations (with the {@link Reconciler}'s verdict on every job a node
 * reports) and heartbeats (with the jobs a node must stop, and the RUNNING marks of jobs that started there).
 */
final class NodeEvents {
    private static final Logger log = LoggerFactory.getLogger(NodeEvents.class);

    private final long epoch;
    private final WriteBatcher writer;
    private final Clock clock;
    private final MonotonicClock ticker;
    private final ReadyQueues ready;
    private final NodeTable nodes;
    private final InFlightTable inFlight;
    private final Runnable reviewWaiting;
    private final Reconciler reconciler;
    private final Consumer<ReadyJob> offer;

    NodeEvents(long epoch, WriteBatcher writer, Clock clock, MonotonicClock ticker, ReadyQueues ready, NodeTable nodes,
               InFlightTable inFlight, Reconciler reconciler, Runnable reviewWaiting, Consumer<ReadyJob> offer) {
        this.reconciler = reconciler;
        this.offer = offer;
        this.epoch = epoch;
        this.writer = writer;
        this.clock = clock;
        this.ticker = ticker;
        this.ready = ready;
        this.nodes = nodes;
        this.inFlight = inFlight;
        this.reviewWaiting = reviewWaiting;
    }

    /** A node (re)registers, reporting the jobs it runs or holds finished; {@code stop} gets those it must drop. */
    void register(NodeTable.Registration reg, List<RunningJob> runningJobs,
                  Function<String, io.grpc.ManagedChannel> channels, Consumer<List<Long>> stop) {
        Node node = nodes.register(reg, ticker.millis(), r -> Node.connect(r, channels), Node::disconnect,
                inFlight.countOn(reg.id()));
        reviewWaiting.run(); // jobs that waited for its types queue up, where the reports below can find them
        int adopted = 0;
        List<Long> superseded = new ArrayList<>();
        // Jobs it reports that wait here as PENDING (held since the takeover, or queued), taken out in one pass.
        Set<Long> notInFlight = runningJobs.stream().map(RunningJob::getJobId).filter(j -> !inFlight.contains(j))
                .collect(Collectors.toSet());
        Map<Long, ReadyJob> held = reconciler.takeHeld(notInFlight);
        Map<Long, ReadyJob> pending = ready.takeAll(notInFlight);
        pending.putAll(held);
        for (RunningJob r : runningJobs) {
            InFlight f = inFlight.get(r.getJobId());
            ReadyJob waiting = pending.remove(r.getJobId());
            switch (Reconciler.classify(node.id, r, f, waiting)) {
                case ADOPT -> {
                    adopt(node, r, waiting);
                    adopted++;
                }
                case CONFIRM -> {
                    inFlight.moveTo(f, node.id);
                    adopted++;
                    if (!f.running && !r.getWorker().isEmpty()) {
                        markRunning(f, r.getWorker());
                    }
                }
                default -> {
                    if (waiting != null) {
                        back(waiting, held);
                    }
                    superseded.add(r.getJobId());
                }
            }
        }
        pending.values().forEach(j -> back(j, held));
        reconciler.registered(node.id).forEach(offer);
        log.info("Node {} registered: {} workers ({} idle), {} running jobs reported, {} adopted, {} to stop",
                node.id, reg.workers(), reg.idle(), runningJobs.size(), adopted, superseded.size());
        stop.accept(superseded);
    }

    /** A PENDING job the node does not run goes back where it came from: held while the hold lasts, else ready. */
    private void back(ReadyJob j, Map<Long, ReadyJob> held) {
        if (!held.containsKey(j.id()) || !reconciler.holdAgain(j)) {
            ready.add(j, 0);
        }
    }

    /**
     * A job the node runs that waits here as PENDING: the previous leader delivered it and stopped before the
     * assignment was recorded. The node keeps it, and the assignment is recorded now; nothing runs twice.
     */
    private void adopt(Node node, RunningJob r, ReadyJob j) {
        InFlight f = new InFlight(j, r.getAttempt(), node.id, false, true);
        inFlight.track(f);
        writer.deferHeld(List.of(StateChange.of(j.id(), EnumSet.of(PENDING), ASSIGNED).node(node.id)
                .event("ASSIGNED", "adopted: " + node.id + " ran it when this leader took over").attempts(-1).build()));
        if (!r.getWorker().isEmpty()) {
            markRunning(f, r.getWorker());
        }
    }

    /** The answer to a heartbeat: unknown (register again), the jobs it must stop, and whether to drain. */
    HeartbeatResponse heartbeat(HeartbeatRequest r) {
        HeartbeatResponse.Builder resp = HeartbeatResponse.newBuilder().setEpoch(epoch);
        Node node = nodes.heartbeat(r, ticker.millis());
        if (node == null) {
            return resp.setKnown(false).build();
        }
        for (RunningJob j : r.getRunningList()) {
            InFlight f = inFlight.get(j.getJobId());
            if (f == null || f.attempt != j.getAttempt() || !node.id.equals(f.node)) {
                resp.addStop(j.getJobId());
            } else if (!f.running && !j.getWorker().isEmpty()) {
                markRunning(f, j.getWorker()); // it waited there for a worker and has started since
            }
        }
        return resp.setKnown(true).setDrain(node.draining).build();
    }

    /** Records that a job started on {@code worker}, deferred: a quick job's outcome usually takes it along. */
    void markRunning(InFlight f, String worker) {
        f.running = true;
        writer.deferHeld(List.of(StateChange.of(f.job.id(), EnumSet.of(ASSIGNED), RUNNING).attempts(f.attempt)
                .node(f.node).worker(worker).startedAt(clock.millis()).event("RUNNING", null).build()));
    }
}

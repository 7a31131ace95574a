package io.earthling.manager.internal.dispatch;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.CANCELLED;
import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;

import io.earthling.api.JobState;
import io.earthling.core.MonotonicClock;
import io.earthling.core.ReadyJob;
import io.earthling.core.ReadyQueues;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.store.StateChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How jobs in flight end, on the dispatcher thread: outcomes reported by nodes, cancels, and jobs whose node is gone.
 * The {@link OutcomePolicy} decides each move; this class writes it and, once it is durable, queues the job again,
 * wakes its waiters or the split's sweep. Changes that fail to become durable leave the jobs in flight, so a node's
 * resend is accepted.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);
    private static final Set<JobState> ACTIVE = EnumSet.of(ASSIGNED, RUNNING);

    /** Where a job that runs again goes: the ready queues, or the wait for a node of its type. */
    interface Requeue {
        void offer(ReadyJob job);
    }

    private final WriteBatcher writer;
    private final Clock clock;
    private final Executor inbox;
    private final ReadyQueues ready;
    private final NodeTable nodes;
    private final InFlightTable inFlight;
    private final TypeWaits typeWaits;
    private final Waiters waiters;
    private final OutcomePolicy policy;
    private final Requeue requeue;
    private final MonotonicClock ticker;
    volatile JobMetrics metrics = JobMetrics.NONE;
    volatile Runnable childrenStored = () -> { };

    Completions(WriteBatcher writer, Clock clock, Executor inbox, ReadyQueues ready, NodeTable nodes,
                InFlightTable inFlight, TypeWaits typeWaits, Waiters waiters, OutcomePolicy policy, Requeue requeue,
                MonotonicClock ticker) {
        this.ticker = ticker;
        this.writer = writer;
        this.clock = clock;
        this.inbox = inbox;
        this.ready = ready;
        this.nodes = nodes;
        this.inFlight = inFlight;
        this.typeWaits = typeWaits;
        this.waiters = waiters;
        this.policy = policy;
        this.requeue = requeue;
    }

    /** Applies a batch of outcomes from {@code nodeId}; {@code ack} gets (accepted, stale) once they are durable. */
    void complete(String nodeId, List<JobOutcome> reported, BiConsumer<List<JobOutcome>, Integer> ack,
                  Consumer<Throwable> fail) {
        List<StateChange> changes = new ArrayList<>();
        List<JobOutcome> acceptedOutcomes = new ArrayList<>();
        List<OutcomePolicy.Decision> decided = new ArrayList<>();
        List<InFlight> taken = new ArrayList<>();
        Node node = nodes.get(nodeId);
        if (node != null && !reported.isEmpty()) {
            node.blocked = false; // a job ended there: it has room again, whatever it refused before
        }
        long now = clock.millis();
        JobMetrics m = metrics;
        int stoppedByCancel = 0;
        for (JobOutcome o : reported) {
            InFlight f = inFlight.get(o.getJobId());
            OutcomePolicy.Decision d = policy.outcome(nodeId, f, o, now);
            if (d.kind() == OutcomePolicy.Kind.STALE) {
                // A job cancelled here stops on its node, which reports it CANCELLED: expected, not a stale result.
                if (f == null && o.getStatus() == JobOutcome.Status.CANCELLED) {
                    stoppedByCancel++;
                }
                continue;
            }
            inFlight.untrack(o.getJobId());
            acceptedOutcomes.add(o);
            taken.add(f);
            decided.add(d);
            changes.add(d.change());
            if (o.getStartedAtMs() > 0) {
                m.pickedUp(o.getStartedAtMs() - f.job.runAtMs());
            }
            m.outcome(f.job, switch (d.kind()) {
                case SUCCEEDED, SPLIT -> "succeeded";
                case CANCELLED -> "cancelled";
                case RETRY -> "failed";
                default -> "dead";
            });
            if (!o.getWorkerLost()) {
                ready.outcome(f.job.queue(), o.getStatus() == JobOutcome.Status.SUCCEEDED);
            }
        }
        int accepted = decided.size();
        int stale = reported.size() - accepted;
        if (stale > stoppedByCancel) {
            log.info("Refused {} stale results from {} (attempts superseded or jobs already final)",
                    stale - stoppedByCancel, nodeId);
        }
        if (stoppedByCancel > 0) {
            log.debug("{} cancelled jobs stopped on {}", stoppedByCancel, nodeId);
        }
        writer.applyHeld(changes).whenComplete((applied, err) -> {
            if (err != null) {
                // Not durable: keep the jobs in flight so the assistant's resend is accepted.
                inbox.execute(() -> taken.forEach(f -> {
                    if (!inFlight.contains(f.job.id())) {
                        inFlight.track(f);
                    }
                }));
                fail.accept(err);
                return;
            }
            ack.accept(acceptedOutcomes, stale);
            inbox.execute(() -> decided.forEach(this::durable));
        });
    }

    private void durable(OutcomePolicy.Decision d) {
        switch (d.kind()) {
            case SPLIT -> childrenStored.run();
            case RETRY -> ready.add(d.again(), clock.millis());
            default -> waiters.done(d.change().jobId());
        }
    }

    /** Cancels a job that is not final; {@code done} gets the node it ran on (or null) once CANCELLED is durable. */
    void cancel(long id, Consumer<String> done, Consumer<Throwable> fail) {
        boolean wasWaiting = ready.remove(id) | typeWaits.remove(id);
        InFlight f = inFlight.untrack(id);
        Set<JobState> from = f != null ? ACTIVE : EnumSet.of(PENDING);
        if (!wasWaiting && f == null) {
            from = EnumSet.of(PENDING, ASSIGNED, RUNNING);
        }
        String node = f == null ? null : f.node;
        StateChange c = StateChange.of(id, from, CANCELLED).finishedAt(clock.millis()).event("CANCELLED", "by request")
                .build();
        writer.applyHeld(List.of(c)).whenCompleteAsync((applied, err) -> {
            if (err != null) {
                fail.accept(err);
            } else {
                waiters.done(id);
                done.accept(node);
            }
        }, Waiters.callbacks());
    }

    /**
     * ASSIGNED/RUNNING -> PENDING (or DEAD) for jobs whose node is gone, or whose delivery call failed, as the
     * {@link OutcomePolicy} says: the attempt counts.
     */
    void putBack(List<Long> ids, String event, String detail) {
        List<StateChange> changes = new ArrayList<>();
        List<ReadyJob> again = new ArrayList<>();
        long now = clock.millis();
        for (long id : ids) {
            InFlight f = inFlight.untrack(id);
            if (f == null) {
                continue;
            }
            OutcomePolicy.Decision d = policy.lost(f, event, detail, now);
            if (d.kind() == OutcomePolicy.Kind.DEAD) {
                writeFinal(d.change());
                continue;
            }
            changes.add(d.change());
            again.add(d.again());
        }
        writer.applyHeld(changes).whenComplete((applied, err) -> inbox.execute(() -> {
            for (int i = 0; i < again.size(); i++) {
                if (err == null && applied[i]) {
                    requeue.offer(again.get(i));
                }
            }
        }));
    }

    /** A final move that no node reported (a buried job, a lost last attempt): its waiters wake once it is durable. */
    void writeFinal(StateChange change) {
        writer.applyHeld(List.of(change)).thenRun(() -> waiters.done(change.jobId()));
    }

    /** ASSIGNED -> PENDING without counting an attempt (the node never ran them), then ready again. */
    void requeue(List<Long> ids, String event, String detail) {
        List<StateChange> changes = new ArrayList<>();
        List<InFlight> flights = new ArrayList<>();
        for (long id : ids) {
            InFlight f = inFlight.untrack(id);
            if (f != null) {
                flights.add(f);
                changes.add(StateChange.of(id, EnumSet.of(ASSIGNED), PENDING).event(event, detail).build());
            }
        }
        writer.applyHeld(changes).whenComplete((applied, err) -> inbox.execute(() -> {
            for (int i = 0; i < flights.size(); i++) {
                if (err == null && applied[i]) {
                    ready.add(flights.get(i).job, 0);
                }
            }
        }));
    }

    /** Jobs waiting for their type: ready once a node offers it, DEAD once the type wait is over. */
    void reviewWaiting() {
        if (typeWaits.isEmpty()) {
            return;
        }
        List<ReadyJob> nowReady = new ArrayList<>();
        List<ReadyJob> buried = new ArrayList<>();
        typeWaits.review(nodes, ticker.millis(), nowReady, buried);
        long now = clock.millis();
        nowReady.forEach(j -> ready.add(j, now));
        for (ReadyJob j : buried) {
            String why = typeWaits.why(j.type(), nodes);
            writeFinal(StateChange.of(j.id(), EnumSet.of(PENDING), DEAD).error(why).finishedAt(now)
                    .event("DEAD", why).build());
        }
    }

}

package io.earthling.manager.internal.dispatch;

import static io.earthling.api.JobState.ASSIGNED;
import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;

import io.earthling.api.EarthlingException;
import io.earthling.core.MonotonicClock;
import io.earthling.core.QueueSnapshot;
import io.earthling.core.ReadyJob;
import io.earthling.core.ReadyQueues;
import io.earthling.manager.ManagerSettings;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.protocol.manager.HeartbeatRequest;
import io.earthling.protocol.manager.HeartbeatResponse;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.RunningJob;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's one owner thread for the ready queues, the node table and the jobs in flight. It only moves
 * messages: other threads hand it work through {@link #execute}; the decisions are the plain objects' it holds
 * ({@link NodeTable}, {@link OutcomePolicy}, {@link Reconciler}, {@link TypeWaits}); writes go to the
 * {@link WriteBatcher} and deliveries to the {@link Deliveries}, whose answers come back through the inbox. It never
 * waits on I/O (docs/architecture.md, "Threads").
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** How long a job may wait for a worker of a type some node offered before (timing.typeWaitMs). */
    public static final long DEFAULT_TYPE_WAIT_MS = ManagerSettings.DEFAULT_TYPE_WAIT_MS;

    private final WriteBatcher writer;
    private final Clock clock;
    private final MonotonicClock ticker;
    private final long epoch;
    private final ManagerSettings timing;
    private final Waiters waiters;
    private final ReadyQueues ready = new ReadyQueues();
    private final NodeTable nodes;
    private final InFlightTable inFlight;
    private final Reconciler reconciler;
    private final TypeWaits typeWaits;
    private final Deliveries deliveries;
    private final Completions completions;
    private final NodeEvents nodeEvents;
    private final Assignments assignments;
    private final Housekeeping housekeeping;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile JobMetrics metrics = JobMetrics.NONE;
    private long nextHousekeepingMs;
    private Consumer<List<String>> rosterListener = ids -> { };
    private List<String> lastRoster = List.of();
    /** PENDING jobs beyond the ready window, by id; paged in through {@link #pager} as the window empties. */
    private final Backlog backlog = new Backlog();
    private final int window;
    /** Ids being read back from the database; a cancel takes its id out, so a stale read cannot run it. */
    private final Map<Long, String> loading = new java.util.HashMap<>();
    private Function<List<Long>, List<ReadyJob>> pager = ids -> List.of();
    /** Where pages are read: the dispatcher thread never waits on the database. */
    private final java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "earthling-backlog-pager");
        t.setDaemon(true);
        return t;
    });
    /** After a failed read, when the next may start (monotonic ms). */
    private long pageAgainAtMs;
    /** How many of the ready window one queue may hold: a paused or slow queue never fills it alone. */
    public static int perQueueWindow(int window) {
        return Math.max(1, window / 4);
    }

    /** Jobs read back per page. */
    static final int PAGE = 2_000;

    public Dispatcher(WriteBatcher writer, Clock clock, long epoch, ManagerSettings timing, Waiters waiters) {
        this(writer, clock, MonotonicClock.SYSTEM, epoch, timing, waiters, DEFAULT_TYPE_WAIT_MS);
    }

    /** {@code clock}: wall time for what rows record; {@code ticker}: monotonic time for every timeout. */
    public Dispatcher(WriteBatcher writer, Clock clock, MonotonicClock ticker, long epoch, ManagerSettings timing,
                      Waiters waiters, long typeWaitMs) {
        this.writer = writer;
        this.clock = clock;
        this.ticker = ticker;
        this.epoch = epoch;
        this.timing = timing;
        this.waiters = waiters;
        this.nodes = new NodeTable(timing);
        this.inFlight = new InFlightTable(ready, nodes);
        this.reconciler = new Reconciler(timing.reconcileGraceMs());
        this.typeWaits = new TypeWaits(ticker.millis(), timing.reconcileGraceMs(), typeWaitMs);
        this.deliveries = new Deliveries(epoch, this::execute, metrics());
        this.completions = new Completions(writer, clock, this::execute, ready, nodes, inFlight, typeWaits, waiters,
                OutcomePolicy.standard(), j -> offerOne(j, 0), ticker);
        this.nodeEvents = new NodeEvents(epoch, writer, clock, ticker, ready, nodes, inFlight, reconciler,
                completions::reviewWaiting, j -> offerOne(j, clock.millis()));
        this.assignments = new Assignments(ready, nodes, inFlight, writer, deliveries, clock, nodeEvents, completions);
        this.housekeeping = new Housekeeping(nodes, inFlight, reconciler, completions, this::rosterChanged,
                j -> offerOne(j, clock.millis()));
        timing.queues().forEach(ready::configure);
        this.window = timing.input().readyWindow();
        this.thread = new Thread(this::loop, "earthling-dispatcher");
        thread.setDaemon(true);
    }

    private Deliveries.Metrics metrics() {
        return waitedMs -> metrics.dispatched(waitedMs);
    }

    public void start() {
        thread.start();
    }

    /** {@code fresh}: whether this leader's lease is surely still its own; it delivers nothing otherwise. */
    public void lease(BooleanSupplier fresh) {
        deliveries.lease(fresh);
    }

    /** Where submissions, outcomes and latencies are counted from now on. */
    public void observe(JobMetrics m) {
        this.metrics = m;
        completions.metrics = m;
    }

    /** Runs {@code task} on the dispatcher thread. */
    public void execute(Runnable task) {
        inbox.add(task);
        LockSupport.unpark(thread);
    }

    /**
     * Whether a job of {@code type} may be submitted now (any thread): a type an online node offers, or one offered
     * since this leader started (it waits for its node). {@link NoWorkerYetException} while nodes may still be on
     * their way; {@link EarthlingException} for a type no node offered.
     */
    public void checkType(String type) {
        switch (typeWaits.intake(type, nodes, ticker.millis())) {
            case ACCEPT -> { }
            case RETRY_LATER -> throw new NoWorkerYetException("no worker of type '" + type + "' has connected to this"
                    + " leader yet (it took over or started moments ago, or no assistant is connected); retry shortly");
            default -> throw new EarthlingException(typeWaits.why(type, nodes));
        }
    }

    /** The types online nodes run now. */
    public Set<String> knownTypes() {
        return nodes.offered();
    }

    /** Now in the monotonic time of the nodes' last heartbeats ({@link Node#lastSeenMs}). */
    public long monotonicMs() {
        return ticker.millis();
    }

    public Collection<Node> nodes() {
        return nodes.all();
    }

    public Node node(String id) {
        return nodes.get(id);
    }

    /** Jobs waiting to run: those held ready and the backlog's. */
    public long readyCount() {
        return ready.size() + backlog.size();
    }

    /**
     * How the backlog is read back (ids to the jobs still PENDING among them), on a thread of its own; set before
     * {@link #start}.
     */
    public void pager(Function<List<Long>, List<ReadyJob>> pager) {
        this.pager = pager;
    }

    /** Stops (or resumes) starting jobs of {@code queue}; jobs already running go on. */
    public void pause(String queue, boolean paused) {
        execute(() -> {
            ready.pause(queue, paused);
            log.info("Queue {} {}", queue, paused ? "paused: its jobs wait until it is resumed" : "resumed");
        });
    }

    /** Every known queue as it is now, answered on the dispatcher thread. */
    public void queues(Consumer<List<QueueSnapshot>> answer) {
        execute(() -> {
            Set<String> names = new TreeSet<>(ready.names());
            names.addAll(timing.queues().keySet());
            answer.accept(names.stream().map(this::snapshot).toList());
        });
    }

    /** What explains why jobs wait (see {@link io.earthling.core.WaitReason}), answered on the dispatcher thread. */
    public void waitFacts(Consumer<io.earthling.core.WaitFacts> answer) {
        execute(() -> {
            long now = clock.millis();
            Map<String, QueueSnapshot> queues = new java.util.HashMap<>();
            ready.names().forEach(q -> queues.put(q, snapshot(q)));
            Set<String> free = new java.util.HashSet<>();
            nodes.all().stream().filter(n -> n.free() > 0).forEach(n -> free.addAll(n.types));
            answer.accept(new io.earthling.core.WaitFacts(now, true, queues, Set.copyOf(nodes.offered()), free,
                    ready.keyRunning(), ready.rateUntilMs(now)));
        });
    }

    /** A queue as the ready queues see it, its backlog counted among its ready jobs. */
    private QueueSnapshot snapshot(String queue) {
        QueueSnapshot s = ready.snapshot(queue);
        int more = backlog.size(queue);
        return more == 0 ? s : new QueueSnapshot(s.name(), s.limits(), s.paused(), s.ready() + more, s.delayed(),
                s.running(), s.health(), s.oldestReadyMs());
    }

    // ---- jobs coming in ----

    /**
     * Jobs a new leader found in the DB: PENDING ones queue up (held first while the nodes in {@code roster}, those
     * the previous leader knew, register again), ASSIGNED/RUNNING ones wait for their node to report them.
     */
    public void load(List<ReadyJob> pending, List<InFlight> active, List<String> roster) {
        load(pending, Map.of(), active, roster);
    }

    /**
     * {@link #load(List, List, List)} with a backlog: {@code pending} is the window held ready, {@code later} the
     * ids of the PENDING jobs beyond it by queue, paged in as the window empties.
     */
    public void load(List<ReadyJob> pending, Map<String, long[]> later, List<InFlight> active, List<String> roster) {
        execute(() -> {
            later.forEach(backlog::addAll);
            long now = clock.millis();
            long mono = ticker.millis();
            if (reconciler.hold(pending, roster, mono)) {
                log.info("Holding {} PENDING jobs until the {} nodes the previous leader knew register again (at most"
                        + " {} ms): one of them may run such a job already", pending.size(), roster.size(),
                        reconciler.graceMs());
            } else {
                pending.forEach(j -> offerOne(j, now));
            }
            reconciler.loaded(active, mono);
            active.forEach(inFlight::track);
            log.info("Leader with epoch {}: {} jobs ready, {} more in the database's backlog, {} in flight awaiting their"
                    + " nodes ({} ms grace)", epoch, pending.size(), backlog.size(), active.size(), reconciler.graceMs());
        });
    }

    /** {@link #load(List, List, List)} with nobody to wait for. */
    void load(List<ReadyJob> pending, List<InFlight> active) {
        load(pending, active, List.of());
    }

    /** Called with the ids of the online nodes whenever they change, on the dispatcher thread. */
    public void onRosterChange(Consumer<List<String>> listener) {
        execute(() -> rosterListener = listener);
    }

    private void rosterChanged() {
        List<String> ids = nodes.all().stream().filter(n -> n.online).map(n -> n.id).sorted().toList();
        if (!ids.equals(lastRoster)) {
            lastRoster = ids;
            rosterListener.accept(ids);
        }
    }

    /** Newly committed jobs (submitted or swept); runs on the dispatcher thread. */
    public void offer(List<ReadyJob> jobs) {
        execute(() -> {
            long now = clock.millis();
            for (ReadyJob j : jobs) {
                if (j.attempts() == 0) {
                    metrics.submitted(j);
                }
                offerNew(j, now);
            }
        });
    }

    /**
     * A new job (submitted, swept, retried from DEAD): behind its queue's backlog when it has one, or when its queue
     * or the window is full; else held ready.
     */
    private void offerNew(ReadyJob j, long now) {
        boolean full = backlog.has(j.queue()) || ready.size(j.queue()) >= perQueueWindow(window)
                || ready.size() >= window && ready.runnable() >= window;
        if (full && nodes.offered().contains(j.type())) {
            backlog.add(j.queue(), j.id()); // read back in its turn
        } else {
            offerOne(j, now);
        }
    }

    /** A job already counted in the window (loaded, paged in, released from a hold or a type wait): held ready. */
    private void offerOne(ReadyJob j, long now) {
        if (nodes.offered().contains(j.type())) {
            ready.add(j, now);
        } else {
            typeWaits.park(j, ticker.millis()); // reviewed at housekeeping: ready once a node offers it, or buried
        }
    }

    // ---- nodes ----

    /** A node (re)registers, reporting the jobs it runs or holds finished; {@code stop} gets those it must drop. */
    public void register(NodeTable.Registration reg, List<RunningJob> runningJobs,
                  Function<String, io.grpc.ManagedChannel> channels, Consumer<List<Long>> stop) {
        execute(() -> {
            nodeEvents.register(reg, runningJobs, channels, stop);
            rosterChanged();
        });
    }

    /** The node's heartbeat: answers unknown (register again), the jobs it must stop, and whether to drain. */
    public void heartbeat(HeartbeatRequest r, Consumer<HeartbeatResponse> answer) {
        execute(() -> answer.accept(nodeEvents.heartbeat(r)));
    }

    /** Stops new deliveries to the node; it finishes what it runs, then leaves. False if unknown. */
    public void drain(String id, Consumer<Boolean> done) {
        execute(() -> {
            Node node = nodes.drain(id);
            if (node != null) {
                log.info("Node {} drains: no new work; {} jobs still run there", id, node.assigned);
            }
            done.accept(node != null);
        });
    }

    /** A drained node left: forget it; anything still counted on it runs again elsewhere. */
    public void leave(String id) {
        execute(() -> {
            List<Long> left = inFlight.on(id);
            Node gone = nodes.leave(id);
            if (gone != null) {
                gone.disconnect();
                completions.putBack(left, "NODE_LEFT", id + " left the cluster");
                log.info("Node {} left the cluster after draining", id);
                rosterChanged();
            }
        });
    }

    // ---- the loop ----

    private void loop() {
        while (running) {
            Runnable task;
            while ((task = inbox.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Dispatcher task failed; the dispatcher goes on", e);
                }
            }
            long mono = ticker.millis();
            if (mono >= nextHousekeepingMs) {
                housekeeping.pass(mono);
                nextHousekeepingMs = mono + Housekeeping.EVERY_MS;
            }
            pageIn();
            long now = clock.millis();
            long nextDue = ready.promoteDue(now);
            assignments.round(now);
            writer.release(); // this turn's outcomes and the assignments that refill their slots: one commit
            long waitMs = nextHousekeepingMs - mono;
            if (nextDue > 0) {
                waitMs = Math.min(waitMs, nextDue - now);
            }
            long nextToken = ready.nextTokenAtMs(now);
            if (nextToken > 0) {
                waitMs = Math.min(waitMs, nextToken - now);
            }
            if (inbox.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMs)));
            }
        }
    }

    /**
     * Reads the next page of the backlog once the window is half empty: not while a page is on its way, nor while
     * jobs are held at takeover (a node the previous leader knew may run one of the backlog's).
     */
    private void pageIn() {
        if (backlog.isEmpty() || !loading.isEmpty() || reconciler.heldCount() > 0 || ticker.millis() < pageAgainAtMs) {
            return;
        }
        int runnable = ready.runnable();
        if (runnable >= window / 2) {
            return;
        }
        // Queues that are not paused and hold less than half their share take turns.
        Map<Long, String> page = backlog.take(Math.min(PAGE, window - runnable),
                q -> !ready.paused(q) && ready.size(q) < window / 8);
        if (page.isEmpty()) {
            return;
        }
        loading.putAll(page);
        List<Long> ids = List.copyOf(page.keySet());
        try {
            loader.execute(() -> readPage(ids));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            page.forEach((id, queue) -> backlog.add(queue, id));
            loading.clear();
        }
    }

    /** On the pager's thread: reads {@code ids} back and hands the jobs to the dispatcher thread. */
    private void readPage(List<Long> ids) {
        try {
            List<ReadyJob> jobs = pager.apply(ids);
            execute(() -> paged(jobs));
        } catch (RuntimeException e) {
            log.warn("Could not read {} backlog jobs back from the database ({}); they stay in the backlog and are"
                    + " read again in a second", ids.size(), e.toString());
            execute(() -> {
                loading.forEach((id, queue) -> backlog.add(queue, id));
                loading.clear();
                pageAgainAtMs = ticker.millis() + 1_000;
            });
        }
    }

    /** A page read back: its jobs still PENDING and not cancelled meanwhile join the ready queues. */
    private void paged(List<ReadyJob> jobs) {
        long now = clock.millis();
        for (ReadyJob j : jobs) {
            if (loading.remove(j.id()) != null) {
                offerOne(j, now);
            }
        }
        loading.clear(); // the rest are no longer PENDING (cancelled, deleted)
    }

    /** Called after a split's children are stored, to wake the sweep that brings them here. */
    public void onChildrenStored(Runnable r) {
        completions.childrenStored = r;
    }

    public Runnable childrenStoredSignal() {
        return completions.childrenStored;
    }

    // ---- endings ----

    /**
     * Applies a batch of outcomes; {@code ack} gets (the accepted outcomes, how many were stale) once they are
     * durable. Only accepted ones came from the node the attempt runs on, for an attempt that exists.
     */
    public void complete(String nodeId, List<JobOutcome> reported, BiConsumer<List<JobOutcome>, Integer> ack,
                         Consumer<Throwable> fail) {
        execute(() -> completions.complete(nodeId, reported, ack, fail));
    }

    /** Cancels a job that is not final; {@code done} gets the node it ran on (or null) once CANCELLED is durable. */
    public void cancel(long id, Consumer<String> done, Consumer<Throwable> fail) {
        execute(() -> {
            if (loading.remove(id) == null) {
                backlog.remove(id);
            }
            completions.cancel(id, done, fail);
        });
    }

    /**
     * A delayed job is due now: its PENDING -> PENDING with the new run-at is durable already. It leaves the timer for
     * its queue (or, waiting for a node of its type or held at takeover, will be due once released); a job not delayed
     * here is left alone.
     */
    public void runNow(long id, long nowMs) {
        execute(() -> {
            boolean moved = ready.runNow(id, nowMs) || typeWaits.runNow(id, nowMs) || reconciler.runNow(id, nowMs);
            log.debug("Run now of job {}: {}", id, moved ? "due now" : "not delayed here (it started meanwhile)");
        });
    }

    /** Housekeeping passes so far: a test signal, so tests wait for a pass instead of sleeping. */
    long sweeps() {
        return housekeeping.passes();
    }

    @Override
    public void close() {
        running = false;
        loader.shutdownNow();
        LockSupport.unpark(thread);
        nodes.all().forEach(n -> {
            if (n.channel != null) {
                n.channel.shutdownNow();
            }
        });
    }
}

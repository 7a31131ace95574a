package io.earthling.manager.internal.leadership;

import static io.earthling.api.JobState.PENDING;
import static io.earthling.api.JobState.RUNNING;

import io.earthling.core.MonotonicClock;
import io.earthling.core.ReadyJob;
import io.earthling.manager.ManagerSettings;
import io.earthling.manager.internal.dispatch.Dispatcher;
import io.earthling.manager.internal.dispatch.InFlight;
import io.earthling.manager.internal.dispatch.JobMetrics;
import io.earthling.manager.internal.dispatch.PendingWindow;
import io.earthling.manager.internal.dispatch.ReadyJobs;
import io.earthling.manager.internal.dispatch.RosterKeeper;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.intake.ExternalSweeper;
import io.earthling.manager.internal.intake.NudgedInserts;
import io.earthling.manager.internal.retention.RetentionCleaner;
import io.earthling.manager.internal.split.Gatherer;
import io.earthling.manager.internal.write.BatchStats;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.store.ExternalInserts;
import io.earthling.store.Store;
import io.earthling.store.StoredJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/** Everything that runs while this manager leads, started from the DB's state and stopped as one. */
public final class Leading implements AutoCloseable {
    /** How often split parents are checked for their children's counters (a query on the state index). */
    private static final long GATHER_POLL_MS = 100;
    /** How often retention looks for expired finished jobs (a pass reads each final state's oldest page first). */
    private static final Duration RETENTION_EVERY = Duration.ofSeconds(30);
    private final Leadership leadership;
    private final ExternalSweeper sweeper;
    private final LeaseRenewer renewer;
    private final ExternalInserts signal;
    private final Gatherer gatherer;
    /** Null when nothing expires (retention keeps everything). */
    private final RetentionCleaner retention;
    private final List<Thread> threads = new ArrayList<>();

    private Leading(Leadership leadership, ExternalSweeper sweeper, LeaseRenewer renewer, ExternalInserts signal,
                    Gatherer gatherer, RetentionCleaner retention) {
        this.gatherer = gatherer;
        this.retention = retention;
        this.leadership = leadership;
        this.sweeper = sweeper;
        this.renewer = renewer;
        this.signal = signal;
    }

    /**
     * Starts leading with {@code epoch}: loads the active jobs, starts the dispatcher (counting into {@code metrics}
     * from its first job), the sweeper, the gatherer and the lease renewal. {@code clock}: the manager's one clock
     * (wall time for rows; its monotonic time, if it has one, for timeouts); {@code acquiredNanos}: the
     * {@link System#nanoTime} taken before the lease was asked for.
     */
    public static Leading begin(Store store, ManagerSettings s, Clock clock, long epoch, long acquiredNanos,
                                BatchStats stats, JobMetrics metrics, ScheduledExecutorService timer, Runnable onLost) {
        WriteBatcher writer = new WriteBatcher(store.jobs(), epoch, stats, e -> onLost.run(), WriteBatcher.LINGER,
                s.maxQueuedInserts());
        Waiters waiters = new Waiters();
        Dispatcher dispatcher = new Dispatcher(writer, clock, MonotonicClock.of(clock), epoch, s, waiters,
                s.typeWaitMs());
        LeaseRenewer renewer = new LeaseRenewer(store.lease(), s.self(), epoch, Duration.ofMillis(s.leaseTtlMs()),
                acquiredNanos, onLost);
        dispatcher.lease(renewer::fresh);
        dispatcher.observe(metrics);
        List<InFlight> active = new ArrayList<>();
        for (StoredJob j : store.jobs().loadInFlight()) {
            boolean running = j.state() == RUNNING;
            int attempt = running ? j.attempts() : j.attempts() + 1;
            active.add(new InFlight(ReadyJobs.of(j), attempt, j.assignedNode(), running, false));
        }
        // A window of the PENDING jobs is read whole and held ready; the rest of a backlog stays in the database, by
        // id, and is paged in as the window empties (docs/architecture.md, "Backpressure").
        PendingWindow window = PendingWindow.of(store.jobs().pendingIds(), s.input().readyWindow(),
                Dispatcher.perQueueWindow(s.input().readyWindow()));
        Function<List<Long>, List<ReadyJob>> pager = ids -> store.jobs().get(ids).stream()
                .filter(j -> j.state() == PENDING).map(ReadyJobs::of).toList();
        dispatcher.pager(pager);
        dispatcher.load(pager.apply(window.now()), window.later(), active, store.roster().load());
        RosterKeeper roster = new RosterKeeper(store.roster(), epoch);
        dispatcher.onRosterChange(roster::save);
        store.queues().paused().forEach(q -> dispatcher.pause(q, true));
        dispatcher.start();
        Leadership leadership = new Leadership(epoch, s.self(), dispatcher, writer, waiters);
        ExternalInserts listened = store.listenForExternalInserts();
        // PostgreSQL's trigger announces a split's children itself; on H2 the manager wakes its own sweep.
        NudgedInserts nudged = store.notifiesExternalInserts() ? null : new NudgedInserts(listened);
        ExternalInserts signal = nudged == null ? listened : nudged;
        // With NOTIFY the sweep is only a backstop; without it, it is how inserted rows are found.
        Duration sweepEvery = Duration.ofMillis(store.notifiesExternalInserts() ? s.sweepMs() * 10 : s.sweepMs());
        ExternalSweeper sweeper = new ExternalSweeper(store.jobs(), signal, leadership, sweepEvery);
        Gatherer gatherer = new Gatherer(store.splits(), store.jobs(), leadership, GATHER_POLL_MS);
        dispatcher.onChildrenStored(() -> {
            if (nudged != null) {
                nudged.nudge();
            }
            gatherer.nudge();
        });
        RetentionCleaner retention = s.retention().keepsAll() ? null : new RetentionCleaner(store.jobs(), writer, clock,
                MonotonicClock.of(clock), s.retention(), RETENTION_EVERY);
        Leading l = new Leading(leadership, sweeper, renewer, signal, gatherer, retention);
        sweeper.start();
        gatherer.start();
        if (retention != null) {
            retention.start();
        }
        l.spawn(renewer, "earthling-lease");
        l.spawn(renewer::watchDeadline, "earthling-lease-deadline");
        return l;
    }

    private void spawn(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    public Leadership leadership() {
        return leadership;
    }

    /** Delivers nothing from now on: the dispatcher finds the lease no longer fresh. Quick, from any thread. */
    public void stopDispatch() {
        renewer.stop();
    }

    /**
     * Stops everything this leadership runs, every step even when one fails. Not on one of its own threads (the
     * lease thread, the writer): closing interrupts and joins them; {@code Manager} steps down on a thread of its own.
     */
    @Override
    public void close() {
        Teardown.run("leading (epoch " + leadership.epoch() + ")",
                Teardown.step("lease renewal", renewer::stop),
                Teardown.step("sweeper", sweeper::stop),
                Teardown.step("gatherer", gatherer::stop),
                Teardown.step("retention", () -> {
                    if (retention != null) {
                        retention.stop();
                    }
                }),
                Teardown.step("leader threads", () -> threads.forEach(Thread::interrupt)),
                Teardown.step("dispatcher", leadership.dispatcher()::close),
                Teardown.step("writer", leadership.writer()::close),
                Teardown.step("insert signal", signal::close));
    }
}

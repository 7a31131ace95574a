package io.earthling.manager.internal.schedule;

import io.earthling.api.EarthlingException;
import io.earthling.core.CronExpression;
import io.earthling.core.MonotonicClock;
import io.earthling.manager.internal.dispatch.ReadyJobs;
import io.earthling.manager.internal.intake.Intake;
import io.earthling.manager.internal.leadership.LeaderLoop;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.store.NewJob;
import io.earthling.store.ScheduleStore;
import io.earthling.store.StoredSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires recurring jobs while this manager leads. Schedules live in memory; the DB is touched only when a tick is
 * due, and then a tick's job and the schedule's new last tick commit in one fenced transaction that applies only
 * if the last tick is still the one read (so a tick fires once across restarts and failover). Misfires: after a
 * gap, a schedule fires once, for its latest missed tick.
 */
public final class ScheduleTicker extends LeaderLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduleTicker.class);
    // How often the loop reads the clock; in-memory only, so cheap, and a manual clock in tests is seen quickly.
    private static final Duration LOOK = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final ScheduleStore store;
    private final Leadership leadership;
    private final Clock clock;
    private final List<StoredSchedule> fromConfig;
    private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    /**
     * @param clock the wall time ticks are due at and stored with
     * @param ticks measures the waits between looks at {@code clock}
     */
    ScheduleTicker(ScheduleStore store, Leadership leadership, Clock clock, MonotonicClock ticks,
                   List<StoredSchedule> fromConfig) {
        super("earthling-schedules", ticks, RETRY);
        this.store = store;
        this.leadership = leadership;
        this.clock = clock;
        this.fromConfig = fromConfig;
    }

    /** Starts the loop; it first writes the config's schedules to the DB and loads them all. */
    public static ScheduleTicker start(ScheduleStore store, Leadership leadership, Clock clock,
                                       List<StoredSchedule> fromConfig) {
        ScheduleTicker t = new ScheduleTicker(store, leadership, clock, MonotonicClock.SYSTEM, fromConfig);
        t.start();
        return t;
    }

    @Override
    protected Duration iterate() {
        if (!loaded) {
            load();
        }
        tick();
        return LOOK;
    }

    private synchronized void load() {
        long now = clock.millis();
        store.syncConfig(fromConfig.stream().map(s -> s.withLastTick(now)).toList(), leadership.epoch());
        schedules.clear();
        store.all().forEach(this::remember);
        loaded = true;
        log.info("Schedules: {} loaded", schedules.size());
    }

    /** Fires every schedule with a tick due at the clock's now, once each. */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Schedule s : List.copyOf(schedules.values())) {
            Instant due = s.cron().latest(Instant.ofEpochMilli(s.row().lastTickMs()), now);
            if (due != null) {
                fire(s.row(), due);
            }
        }
    }

    private void fire(StoredSchedule s, Instant tick) {
        // The attempts the store would default to, stated here too so the dispatcher holds the same budget.
        int attempts = s.maxAttempts() > 0 ? s.maxAttempts() : Intake.DEFAULT_MAX_ATTEMPTS;
        NewJob job = new NewJob(s.queue(), s.type(), s.payload(), s.priority(), attempts, 0, 0,
                "schedule:" + s.name() + "@" + tick, null);
        OptionalLong id = store.fire(s.name(), s.lastTickMs(), tick.toEpochMilli(), job, leadership.epoch());
        if (id.isPresent()) {
            remember(s.withLastTick(tick.toEpochMilli()));
            leadership.dispatcher().offer(List.of(ReadyJobs.of(id.getAsLong(), job)));
            log.debug("Schedule {} fired its tick {}: job {}", s.name(), tick, id.getAsLong());
        } else {
            store.get(s.name()).ifPresentOrElse(this::remember, () -> schedules.remove(s.name()));
        }
    }

    private void remember(StoredSchedule s) {
        try {
            schedules.put(s.name(), new Schedule(s, CronExpression.parse(s.cron(), s.timeZone())));
        } catch (EarthlingException e) {
            // Only a row written around the API (plain SQL) can be invalid: skip it rather than stop the others.
            log.warn("Schedule {} is skipped: {}", s.name(), e.getMessage());
        }
    }

    /** Adds a schedule whose first tick is the first after now; false if the name is taken. */
    public synchronized boolean create(StoredSchedule s) {
        StoredSchedule row = s.withLastTick(clock.millis());
        if (!store.create(row, leadership.epoch())) {
            return false;
        }
        remember(row);
        return true;
    }

    public synchronized boolean delete(String name) {
        schedules.remove(name);
        return store.delete(name, leadership.epoch());
    }

    public List<StoredSchedule> all() {
        return store.all();
    }

    public java.util.Optional<StoredSchedule> get(String name) {
        return store.get(name);
    }

    /** The next tick of a stored schedule, or null if it has none. */
    static Instant nextTick(StoredSchedule s) {
        return CronExpression.parse(s.cron(), s.timeZone()).next(Instant.ofEpochMilli(s.lastTickMs()));
    }

    /** Stops the loop; waits for a tick in progress. */
    @Override
    public void close() {
        stop();
    }

    private record Schedule(StoredSchedule row, CronExpression cron) {
    }
}

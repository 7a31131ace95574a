package io.earthling.manager.internal.retention;

import io.earthling.core.MonotonicClock;
import io.earthling.core.Retention;
import io.earthling.manager.internal.leadership.LeaderLoop;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's retention loop: a {@link RetentionSweep} every {@code interval}, a page per iteration, with a short
 * breath after each page that deleted something, so dispatch and the writer's hot path never wait long behind it.
 * A fenced delete stops it (another manager leads).
 */
public final class RetentionCleaner extends LeaderLoop {
    private static final Logger log = LoggerFactory.getLogger(RetentionCleaner.class);
    /** The wait after a page that deleted jobs: at most ~{@link RetentionSweep#PAGE} trees per breath. */
    static final Duration BREATH = Duration.ofMillis(20);

    private final JobStore store;
    private final WriteBatcher writer;
    private final Clock clock;
    private final Retention policy;
    private final Duration interval;
    private RetentionSweep sweep;
    private long before;

    public RetentionCleaner(JobStore store, WriteBatcher writer, Clock clock, MonotonicClock ticks, Retention policy,
                            Duration interval) {
        super("earthling-retention", ticks, interval);
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.policy = policy;
        this.interval = interval;
    }

    @Override
    protected Duration iterate() {
        if (sweep == null) {
            sweep = new RetentionSweep(store, writer, clock, policy);
            before = 0;
        }
        boolean more = sweep.step();
        boolean deletedSome = sweep.deleted() > before;
        before = sweep.deleted();
        if (more) {
            return deletedSome ? BREATH : Duration.ZERO;
        }
        if (sweep.deleted() > 0) {
            log.info("Retention deleted {} finished jobs with their events and logs; next pass in {} s",
                    sweep.deleted(), interval.toSeconds());
        }
        sweep = null;
        return interval;
    }
}

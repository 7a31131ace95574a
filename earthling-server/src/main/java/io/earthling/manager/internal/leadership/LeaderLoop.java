package io.earthling.manager.internal.leadership;

import io.earthling.core.MonotonicClock;
import io.earthling.lifecycle.BackgroundLoop;
import io.earthling.store.FencedException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop that runs while this manager leads (sweeper, gatherer, schedules). A fenced write means another
 * manager leads now: the loop stops itself, and the new leader runs its own.
 */
public abstract class LeaderLoop extends BackgroundLoop {
    private static final Logger log = LoggerFactory.getLogger(LeaderLoop.class);

    public LeaderLoop(String name, MonotonicClock clock, Duration retryAfter) {
        super(name, clock, retryAfter);
    }

    @Override
    protected Duration onFailure(RuntimeException e) {
        if (e instanceof FencedException) {
            log.warn("{} fenced out ({}): another manager leads; this loop stops", name(), e.getMessage());
            stop();
            return Duration.ZERO;
        }
        return super.onFailure(e);
    }
}

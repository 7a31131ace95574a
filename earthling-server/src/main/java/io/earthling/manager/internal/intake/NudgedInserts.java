package io.earthling.manager.internal.intake;

import io.earthling.store.ExternalInserts;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The sweep's wake-up where the database sends none (H2): the manager nudges it itself once it stored rows for the
 * sweep to pick up (a split's children, a gather job), so they run without waiting for the next interval.
 */
public final class NudgedInserts implements ExternalInserts {
    private final ExternalInserts inner;
    private final Semaphore nudges = new Semaphore(0);

    public NudgedInserts(ExternalInserts inner) {
        this.inner = inner;
    }

    public void nudge() {
        nudges.release();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        boolean nudged = nudges.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        nudges.drainPermits();
        return nudged;
    }

    @Override
    public void close() {
        inner.close();
        nudges.release();
    }
}

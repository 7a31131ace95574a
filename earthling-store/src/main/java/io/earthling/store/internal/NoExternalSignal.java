package io.earthling.store.internal;

import io.earthling.store.ExternalInserts;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** H2 has no LISTEN/NOTIFY: waiting just passes the time until the manager's next sweep. */
final class NoExternalSignal implements ExternalInserts {
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return false;
    }

    @Override
    public void close() {
        closed.countDown();
    }
}

package io.earthling.manager.internal;

import io.earthling.core.MonotonicClock;
import io.earthling.manager.ManagerSettings;
import io.earthling.manager.internal.dispatch.Dispatcher;
import io.earthling.manager.internal.dispatch.Waiters;
import io.earthling.manager.internal.write.BatchStats;
import io.earthling.manager.internal.write.WriteBatcher;
import io.earthling.store.NewJob;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A leader's writer and dispatcher on a fresh in-memory H2 store, for the dispatcher's tests (heartbeat 1 s, grace 3 s). */
public final class LeaderFixture implements AutoCloseable {
    public final Store store;
    public final long epoch;
    /** Set when the writer would make this manager stop leading. */
    public final AtomicBoolean stoppedLeading = new AtomicBoolean();
    public final WriteBatcher writer;
    public final Dispatcher dispatcher;

    public LeaderFixture(String name, Clock clock) {
        store = Store.open(new StoreSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", null, null, 2));
        epoch = store.lease().tryAcquire("test", Duration.ofMinutes(1)).orElseThrow();
        writer = new WriteBatcher(store.jobs(), epoch, new BatchStats(), e -> stoppedLeading.set(true));
        ManagerSettings settings = new ManagerSettings("127.0.0.1", 1, "jdbc:h2:mem:" + name, null, null, 1, 1_000,
                3_000, 2_000, 500, 60_000, 1 << 20, 1_000, 0, 0, 0, Map.of(), Map.of());
        dispatcher = new Dispatcher(writer, clock, clock instanceof MonotonicClock t ? t : MonotonicClock.SYSTEM, epoch, settings,
                new Waiters(), Dispatcher.DEFAULT_TYPE_WAIT_MS);
    }

    /** A new PENDING noop job with {@code maxAttempts}, stored; its id. */
    public long insert(int maxAttempts) {
        return store.jobs().insert(List.of(new NewJob("default", "noop", "{}", 0, maxAttempts, 0, 0, null, null)), epoch)
                .get(0);
    }

    @Override
    public void close() {
        dispatcher.close();
        writer.close();
        store.close();
    }
}

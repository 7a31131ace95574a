package io.earthling.manager.internal;

import static io.earthling.api.JobState.DEAD;
import static io.earthling.api.JobState.PENDING;

import io.earthling.core.ReadyJob;
import io.earthling.store.ExternalInserts;
import io.earthling.store.FencedException;
import io.earthling.store.JobStore;
import io.earthling.store.StateChange;
import io.earthling.store.StoredJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up rows other systems INSERTed into {@code jobs}: on a NOTIFY (PostgreSQL) or once per interval, one
 * query by the manager alone, never one per worker.
 */
final class ExternalSweeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ExternalSweeper.class);
    private static final int BATCH = 1000;

    private final JobStore store;
    private final ExternalInserts signal;
    private final Leadership leadership;
    private final Duration interval;
    private volatile boolean running = true;

    ExternalSweeper(JobStore store, ExternalInserts signal, Leadership leadership, Duration interval) {
        this.store = store;
        this.signal = signal;
        this.leadership = leadership;
        this.interval = interval;
    }

    @Override
    public void run() {
        while (running) {
            try {
                sweep();
                signal.await(interval);
            } catch (InterruptedException e) {
                return;
            } catch (FencedException e) {
                log.error("Sweep fenced out: {}; the sweeper stops", e.getMessage());
                return;
            } catch (RuntimeException e) {
                log.warn("Sweep for inserted jobs failed ({}); trying again in {} ms", e.getMessage(), interval.toMillis());
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void sweep() {
        List<StoredJob> rows;
        do {
            rows = store.claimExternal(BATCH, leadership.epoch());
            List<ReadyJob> ready = new ArrayList<>();
            List<StateChange> dead = new ArrayList<>();
            for (StoredJob j : rows) {
                if (j.state() != PENDING) {
                    continue;
                }
                if (Intake.isJson(j.payload())) {
                    ready.add(Convert.ready(j));
                } else {
                    String why = "payload is not valid JSON";
                    dead.add(StateChange.of(j.id(), EnumSet.of(PENDING), DEAD).error(why)
                            .finishedAt(System.currentTimeMillis()).event("DEAD", why).build());
                }
            }
            if (!dead.isEmpty()) {
                leadership.writer().apply(dead);
            }
            if (!ready.isEmpty()) {
                log.debug("Picked up {} jobs inserted by SQL", ready.size());
                leadership.dispatcher().offer(ready);
            }
        } while (rows.size() == BATCH && running);
    }

    void stop() {
        running = false;
    }
}

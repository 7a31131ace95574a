package io.earthling.manager.internal.dispatch;

import io.earthling.core.ReadyJob;
import io.earthling.store.NewJob;
import io.earthling.store.StoredJob;
import java.nio.charset.StandardCharsets;

/** Jobs as the dispatcher holds them, made from what intake stored or a row read back. */
public final class ReadyJobs {
    private ReadyJobs() {
    }

    /** A job just stored under {@code id}, as the dispatcher holds it. */
    public static ReadyJob of(long id, NewJob j) {
        return new ReadyJob(id, j.queue(), j.type(), j.payload().getBytes(StandardCharsets.UTF_8), j.priority(),
                j.runAtMs(), 0, j.maxAttempts(), j.timeoutMs(), j.concurrencyKey(), j.concurrencyLimit());
    }

    public static ReadyJob of(StoredJob j) {
        return new ReadyJob(j.id(), j.queue(), j.type(), j.payload().getBytes(StandardCharsets.UTF_8), j.priority(),
                j.runAtMs(), j.attempts(), j.maxAttempts(), j.timeoutMs(), j.concurrencyKey(), j.concurrencyLimit());
    }
}

package io.earthling.manager.internal.intake;

import io.earthling.api.EarthlingException;
import io.earthling.store.Inserted;
import io.earthling.store.JobStore;
import io.earthling.store.NewJob;
import io.earthling.store.StoredJob;
import java.util.List;
import java.util.Optional;

/**
 * Idempotent submission: a key already taken in its queue by a job of the same type and payload answers with
 * that job's id; taken by a different job, it is an error naming the key.
 */
public final class Idempotency {
    private Idempotency() {
    }

    /** Refuses, before anything is stored, a key some stored job with other content holds. */
    public static void precheck(JobStore store, List<NewJob> jobs) {
        for (NewJob j : jobs) {
            if (j.idempotencyKey() != null) {
                Optional<StoredJob> held = store.byIdempotencyKey(j.queue(), j.idempotencyKey());
                if (held.isPresent()) {
                    check(j, held.get());
                }
            }
        }
    }

    /** After the insert: a job that was not created must match the one holding its key (a race precheck missed). */
    public static void confirm(JobStore store, List<NewJob> jobs, List<Inserted> inserted) {
        for (int i = 0; i < jobs.size(); i++) {
            if (!inserted.get(i).created()) {
                long id = inserted.get(i).id();
                check(jobs.get(i), store.get(id).orElseThrow(() -> new EarthlingException("job " + id + " vanished")));
            }
        }
    }

    private static void check(NewJob j, StoredJob held) {
        String differs = !held.type().equals(j.type()) ? "type (" + held.type() + ", not " + j.type() + ")"
                : !held.payload().equals(j.payload()) ? "payload" : null;
        if (differs != null) {
            throw new EarthlingException("idempotencyKey: \"" + j.idempotencyKey() + "\" in queue \"" + j.queue()
                    + "\" already belongs to job " + held.id() + " with a different " + differs);
        }
    }
}

package io.earthling.manager.internal.write;

import io.earthling.store.StateChange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the writer puts in one transaction: new jobs, then state changes in order, each knowing whose it is. */
final class WriteBatch {
    final List<WriteRequest> inserts = new ArrayList<>();
    final List<StateChange> changes = new ArrayList<>();
    /** Requests to delete finished jobs: written after the batch's changes, each in its own transaction(s). */
    final List<WriteRequest> deletes = new ArrayList<>();
    private final List<WriteRequest> owners = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private final Set<Long> jobs = new HashSet<>();
    private int insertCount;

    void insert(WriteRequest r) {
        inserts.add(r);
        insertCount += r.size();
    }

    /** Adds change {@code i} of {@code r}. */
    void add(WriteRequest r, int i) {
        StateChange ch = r.changes.get(i);
        changes.add(ch);
        owners.add(r);
        positions.add(i);
        jobs.add(ch.jobId());
    }

    boolean touchesAny(List<StateChange> more) {
        for (StateChange ch : more) {
            if (jobs.contains(ch.jobId())) {
                return true;
            }
        }
        return false;
    }

    int items() {
        return insertCount + changes.size();
    }

    void answer(boolean[] applied) {
        for (int k = 0; k < applied.length; k++) {
            owners.get(k).answer(positions.get(k), applied[k]);
        }
    }

    void fail(Throwable t) {
        new LinkedHashSet<>(owners).forEach(r -> r.fail(t));
    }

    void delete(WriteRequest r) {
        deletes.add(r);
    }

    void clear() {
        deletes.clear();
        inserts.clear();
        changes.clear();
        owners.clear();
        positions.clear();
        jobs.clear();
        insertCount = 0;
    }
}

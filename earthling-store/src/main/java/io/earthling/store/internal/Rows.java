package io.earthling.store.internal;

import io.earthling.api.JobState;
import io.earthling.store.JobEvent;
import io.earthling.store.StoredJob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Maps rows to records. */
final class Rows {
    static final String JOB_COLUMNS = "id, queue, type, payload, priority, state, attempts, max_attempts, run_at, "
            + "timeout_ms, idempotency_key, routing_key, result, error, assigned_node, assigned_worker, epoch, "
            + "created_at, started_at, finished_at, concurrency_key, concurrency_limit";

    static final String EVENT_COLUMNS = "job_id, at, kind, attempt, node, worker, detail";

    private Rows() {
    }

    static StoredJob job(ResultSet rs) throws SQLException {
        return new StoredJob(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                JobState.valueOf(rs.getString(6)), rs.getInt(7), rs.getInt(8), millis(rs, 9), rs.getLong(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                rs.getString(16), rs.getLong(17), millis(rs, 18), millis(rs, 19), millis(rs, 20), rs.getString(21),
                rs.getInt(22));
    }

    static StoredJob withEpoch(StoredJob j, long epoch) {
        return new StoredJob(j.id(), j.queue(), j.type(), j.payload(), j.priority(), j.state(), j.attempts(),
                j.maxAttempts(), j.runAtMs(), j.timeoutMs(), j.idempotencyKey(), j.routingKey(), j.result(),
                j.error(), j.assignedNode(), j.assignedWorker(), epoch, j.createdAtMs(), j.startedAtMs(),
                j.finishedAtMs(), j.concurrencyKey(), j.concurrencyLimit());
    }

    static JobEvent event(ResultSet rs) throws SQLException {
        return new JobEvent(rs.getLong(1), millis(rs, 2), rs.getString(3), rs.getInt(4), rs.getString(5),
                rs.getString(6), rs.getString(7));
    }

    private static long millis(ResultSet rs, int column) throws SQLException {
        return Sql.millis(rs.getObject(column, OffsetDateTime.class));
    }
}

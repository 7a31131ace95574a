package io.earthling.store.internal;

import io.earthling.store.AttemptLog;
import io.earthling.store.JobLogs;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** {@link JobLogs} in the {@code job_logs} table. */
final class JdbcJobLogs implements JobLogs {
    private final Sql sql;

    JdbcJobLogs(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void keep(List<AttemptLog> logs) {
        if (logs.isEmpty()) {
            return;
        }
        sql.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_logs (job_id, attempt, text) SELECT ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM job_logs WHERE job_id = ? AND attempt = ?)")) {
                for (AttemptLog l : logs) {
                    ps.setLong(1, l.jobId());
                    ps.setInt(2, l.attempt());
                    ps.setString(3, l.text());
                    ps.setLong(4, l.jobId());
                    ps.setInt(5, l.attempt());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<AttemptLog> of(long jobId) {
        return sql.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT job_id, attempt, at, text FROM job_logs WHERE job_id = ? ORDER BY attempt")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AttemptLog> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new AttemptLog(rs.getLong(1), rs.getInt(2), rs.getTimestamp(3).getTime(), rs.getString(4)));
                    }
                    return out;
                }
            }
        });
    }
}

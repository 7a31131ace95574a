package io.earthling.manager.internal.rpc;

import io.earthling.protocol.manager.JobOutcome;
import io.earthling.store.AttemptLog;
import io.earthling.store.JobLogs;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the logs that outcomes carry, on a thread of its own: the group commit of job states never waits for logs. */
public final class LogKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogKeeper.class);

    private final JobLogs logs;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "earthling-logs");
        t.setDaemon(true);
        return t;
    });

    public LogKeeper(JobLogs logs) {
        this.logs = logs;
    }

    /** Keeps the non-empty logs of outcomes whose results are durable. */
    void keep(List<JobOutcome> outcomes) {
        List<AttemptLog> batch = outcomes.stream().filter(o -> !o.getLog().isEmpty())
                .map(o -> new AttemptLog(o.getJobId(), o.getAttempt(), o.getFinishedAtMs(), o.getLog())).toList();
        if (batch.isEmpty()) {
            return;
        }
        thread.execute(() -> {
            try {
                logs.keep(batch);
            } catch (RuntimeException e) {
                log.warn("Could not keep the logs of {} attempts ({}); they are lost, the jobs' states are not", batch.size(),
                        e.toString());
            }
        });
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}

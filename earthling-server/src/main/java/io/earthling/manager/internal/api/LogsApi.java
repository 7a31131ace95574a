package io.earthling.manager.internal.api;

import io.earthling.api.JobState;
import io.earthling.manager.internal.dispatch.Node;
import io.earthling.manager.internal.dispatch.NodeCommands;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.protocol.JobLogResponse;
import io.earthling.protocol.logs.AttemptLogInfo;
import io.earthling.protocol.logs.LogsRequest;
import io.earthling.protocol.logs.LogsResponse;
import io.earthling.store.AttemptLog;
import io.earthling.store.JobLogs;
import io.earthling.store.JobStore;
import io.earthling.store.StoredJob;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The logs of a job's attempts, transport-neutral: the kept logs of ended attempts, and, while the job runs, what
 * its node says the running attempt logged so far.
 */
public final class LogsApi {
    private final JobStore jobs;
    private final JobLogs logs;
    private final Supplier<Leadership> leadership;
    private final Clock clock;

    public LogsApi(JobStore jobs, JobLogs logs, Supplier<Leadership> leadership, Clock clock) {
        this.jobs = jobs;
        this.logs = logs;
        this.leadership = leadership;
        this.clock = clock;
    }

    /** Every kept attempt log and the running attempt's log so far; the kept logs alone when its node is silent. */
    public CompletableFuture<LogsResponse> read(LogsRequest r) {
        StoredJob j = job(r.getId());
        LogsResponse.Builder b = LogsResponse.newBuilder().setState(j.state().name());
        kept(r.getId()).forEach(l -> b.addAttempts(AttemptLogInfo.newBuilder().setAttempt(l.attempt())
                .setAtMs(l.atMs()).setText(l.text())));
        return live(j).thenApply(v -> {
            v.ifPresent(running -> b.setRunning(AttemptLogInfo.newBuilder().setAttempt(running.getAttempt())
                    .setAtMs(clock.millis()).setText(running.getLog())));
            return b.build();
        });
    }

    /** The job, on a leader; refused on a standby (its view of running jobs is empty) or when there is no such job. */
    public StoredJob job(long id) {
        if (leadership.get() == null) {
            throw Refusal.unavailable("this manager is a standby; ask the leader");
        }
        return jobs.get(id).orElseThrow(() -> Refusal.notFound(JobsApi.missing(jobs, id)));
    }

    public List<AttemptLog> kept(long id) {
        return logs.of(id);
    }

    /** What the running attempt of {@code j} logged so far, if it runs on a node that answers. */
    public CompletableFuture<Optional<JobLogResponse>> live(StoredJob j) {
        Leadership l = leadership.get();
        Node node = l == null || j.assignedNode() == null ? null : l.dispatcher().node(j.assignedNode());
        if (j.state() != JobState.RUNNING || node == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return NodeCommands.jobLog(node, l.epoch(), j.id())
                .handle((v, err) -> err != null || !v.getRunning() ? Optional.empty() : Optional.of(v));
    }
}

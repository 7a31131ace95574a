package io.earthling.api;

import io.earthling.api.internal.GrpcEarthlingClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Talks to the leading manager. Thread-safe; close it when done. */
public interface EarthlingClient extends AutoCloseable {

    static EarthlingClient connect(String host, int port) {
        return new GrpcEarthlingClient(host, port, null, null);
    }

    /** {@link #connect(String, int)} over mutual TLS when {@code tls} is not null. */
    static EarthlingClient connect(String host, int port, ClientTls tls) {
        return new GrpcEarthlingClient(host, port, tls, null);
    }

    /**
     * {@link #connect(String, int, ClientTls)} that sends {@code token} (an API token, or the manager's
     * {@code http.token}) with every call as {@code authorization: Bearer TOKEN}; null sends none.
     */
    static EarthlingClient connect(String host, int port, ClientTls tls, String token) {
        return new GrpcEarthlingClient(host, port, tls, token);
    }

    /**
     * Connects, or throws an {@link EarthlingException} that says in one line what is wrong: no answer within
     * {@code within}, connection refused, an unknown host, a port that does not speak gRPC (e.g. the HTTP port).
     */
    void checkReachable(Duration within);

    long submit(JobSpec job);

    /** Submits all jobs in one call and one transaction; ids in the order given. */
    default List<Long> submitAll(List<JobSpec> jobs) {
        return submitEach(jobs).stream().map(Submitted::id).toList();
    }

    /** {@link #submitAll}, telling for each job whether it was created or was there already under its idempotency key. */
    List<Submitted> submitEach(List<JobSpec> jobs);

    Optional<JobView> get(long id);

    /** The newest jobs, a pipeline run's inner jobs left out. */
    default List<JobView> list(JobState state, int limit) {
        return list(state, limit, false);
    }

    /** {@link #list(JobState, int)}; {@code internal}: with a pipeline run's inner jobs too. */
    default List<JobView> list(JobState state, int limit, boolean internal) {
        return list(state, null, null, limit, internal);
    }

    /**
     * Jobs newest first, of one state and queue where not null; {@code search} (not null): only jobs whose payload
     * contains that text, among the 100,000 newest.
     */
    List<JobView> list(JobState state, String queue, String search, int limit, boolean internal);

    JobView cancel(long id);

    /** Waits until every job is final or the timeout passes; returns the final ones. */
    List<JobView> await(List<Long> ids, Duration timeout);

    /** The assistants the leader knows, with their idle and running workers. */
    List<NodeView> nodes();

    /** Stops new deliveries to a node; it finishes its running jobs, then leaves. */
    NodeView drain(String nodeId);

    /** Every queue the leader knows, by name. */
    List<QueueView> queues();

    /** Pauses ({@code true}) or resumes a queue: its jobs wait, running ones go on; kept across leader changes. */
    default QueueView pause(String queue, boolean paused) {
        return pause(queue, paused, false);
    }

    /**
     * {@link #pause(String, boolean)}; pausing a queue the leader does not know (no job used it, no config names it) is
     * refused as a likely typo unless {@code create}, which pauses it ahead of its first job.
     */
    QueueView pause(String queue, boolean paused, boolean create);

    /** The log of one job, oldest first: assignments, attempts and each failed attempt's error, retries. */
    List<JobEventView> events(long id);

    /** Brings DEAD jobs back to PENDING with a fresh attempt budget; refuses all if one is not DEAD. */
    List<Long> retry(List<Long> ids);

    /** Each finished attempt's log, oldest first, as chunks that end their attempt. */
    List<LogChunkView> logs(long id);

    /** Streams a job's output to {@code each} as it comes, until the job is final; returns its final state. */
    String followLogs(long id, java.util.function.Consumer<LogChunkView> each);

    /** Retries every DEAD job of a queue, of one type if {@code type} is not null; returns their ids. */
    List<Long> retryDead(String queue, String type);

    /** A delayed PENDING job (a run-at, a retry's backoff) is due now; refused for any other job. */
    JobView runNow(long id);

    /** Deletes finished jobs with their events and logs; refuses all if one is not final; returns the ids deleted. */
    List<Long> delete(List<Long> ids);

    /** Deletes every DEAD job of a queue, of one type if {@code type} is not null; returns their ids. */
    List<Long> deleteDead(String queue, String type);

    /**
     * Deletes the finished jobs that ended more than {@code olderThan} ago, with their trees, events and logs, as
     * retention does: of {@code states} (final states; all three if empty), in {@code queue} if not null. Returns how
     * many jobs went.
     */
    long purge(java.time.Duration olderThan, java.util.Set<JobState> states, String queue);

    ScheduleView createSchedule(ScheduleSpec schedule);

    List<ScheduleView> schedules();

    ScheduleView deleteSchedule(String name);

    /**
     * Creates API token {@code name} with {@code roles} (read, submit, operate, admin), valid for {@code expiresIn}
     * (null: no end). Needs the role admin. The answer holds the token, which the manager never shows again.
     */
    TokenView.Issued createToken(String name, List<String> roles, Duration expiresIn);

    /** Every API token, revoked ones too, without the tokens themselves. Needs the role admin. */
    List<TokenView> tokens();

    /** Revokes API token {@code name} and ends its dashboard sessions. Needs the role admin. */
    TokenView revokeToken(String name);

    /**
     * Starts a run of a pipeline: its stages' job types in order, the first one's payload {@code inputJson}. The
     * run is a job of type {@code pipeline}; wait for it like for any job. Returns its id.
     */
    default long runPipeline(String name, List<String> stages, String inputJson) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode p = json.createObjectNode().put("pipeline", name);
        stages.forEach(p.putArray("stages")::add);
        try {
            p.set("input", json.readTree(inputJson == null || inputJson.isBlank() ? "{}" : inputJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EarthlingException("input: not valid JSON: " + io.earthling.api.internal.JsonErrors.describe(e));
        }
        return submit(JobSpec.of("pipeline", p.toString()));
    }

    /** How far each stage of a pipeline run got. */
    PipelineView pipelineStatus(long runId);

    /** Cancels a pipeline run and every job below it; running jobs are not interrupted, their results dropped. */
    PipelineView cancelPipeline(long runId);

    @Override
    void close();
}

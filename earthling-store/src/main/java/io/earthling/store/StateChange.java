package io.earthling.store;

import io.earthling.api.JobState;
import io.earthling.core.Transitions;
import java.util.Set;

/**
 * One move of one job, checked against {@code io.earthling.core.Transitions} before it is written. Null
 * fields leave the column as it is; {@code attempts} below 0 leaves it as it is. {@code event} and
 * {@code detail} go to {@code job_events}. A non-null {@code via} folds two moves into one write: from a
 * {@code from} state through {@code via} to {@code to}, each step checked (e.g. ASSIGNED, via RUNNING, to
 * SUCCEEDED when a job's start and end are reported together). A non-null {@code split} (with {@code to}
 * WAITING) stores the split's children in the same transaction, in batches.
 */
public record StateChange(long jobId, Set<JobState> from, JobState to, int attempts, String node, String worker,
                          String result, String error, long runAtMs, long startedAtMs, long finishedAtMs,
                          String event, String detail, JobState via, SplitPlan split) {

    /**
     * Refuses a change the transition table forbids (a bug in the caller) with {@link IllegalArgumentException} or
     * {@link io.earthling.core.IllegalTransitionException}: every from state must reach {@code to}, through
     * {@code via} when set.
     */
    public void check() {
        if (from.isEmpty()) {
            throw new IllegalArgumentException("state change of job " + jobId + " has no from states");
        }
        for (JobState f : from) {
            if (via == null) {
                Transitions.check(f, to);
            } else {
                if (f != via) {
                    Transitions.check(f, via);
                }
                Transitions.check(via, to);
            }
        }
    }

    public static Builder of(long jobId, Set<JobState> from, JobState to) {
        return new Builder(jobId, from, to);
    }

    /** Fluent construction; unset fields keep the column. */
    public static final class Builder {
        private final long jobId;
        private final Set<JobState> from;
        private final JobState to;
        private int attempts = -1;
        private String node;
        private String worker;
        private String result;
        private String error;
        private long runAtMs;
        private long startedAtMs;
        private long finishedAtMs;
        private String event;
        private String detail;
        private JobState via;
        private SplitPlan split;

        private Builder(long jobId, Set<JobState> from, JobState to) {
            this.jobId = jobId;
            this.from = from;
            this.to = to;
            this.event = to.name();
        }

        public Builder attempts(int a) { this.attempts = a; return this; }
        public Builder node(String n) { this.node = n; return this; }
        public Builder worker(String w) { this.worker = w; return this; }
        public Builder result(String r) { this.result = r; return this; }
        public Builder error(String e) { this.error = e; return this; }
        public Builder runAt(long ms) { this.runAtMs = ms; return this; }
        public Builder startedAt(long ms) { this.startedAtMs = ms; return this; }
        public Builder finishedAt(long ms) { this.finishedAtMs = ms; return this; }
        public Builder event(String kind, String text) { this.event = kind; this.detail = text; return this; }
        public Builder via(JobState state) { this.via = state; return this; }
        public Builder split(SplitPlan plan) { this.split = plan; return this; }

        public StateChange build() {
            return new StateChange(jobId, from, to, attempts, node, worker, result, error, runAtMs, startedAtMs,
                    finishedAtMs, event, detail, via, split);
        }
    }
}

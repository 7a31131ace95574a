package io.earthling.assistant.internal;

import com.google.protobuf.ByteString;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.worker.ExecuteResponse;

/** Builds the outcome messages the assistant reports, from a worker's answer or its failure. */
final class Outcomes {
    private Outcomes() {
    }

    static JobOutcome of(Delivery job, String worker, long startedMs, ExecuteResponse r) {
        JobOutcome.Builder b = base(job, worker, startedMs).setRetryable(r.getRetryable()).setLog(r.getLog());
        if (r.getFinishedAtMs() > 0) {
            b.setFinishedAtMs(r.getFinishedAtMs());
        }
        if (r.getCancelled()) {
            b.setStatus(JobOutcome.Status.CANCELLED).setError(r.getError());
        } else if (r.getOk()) {
            b.setStatus(JobOutcome.Status.SUCCEEDED).setResult(r.getResult()).setSplit(r.getSplit());
        } else {
            b.setStatus(JobOutcome.Status.FAILED).setError(r.getError());
        }
        return b.build();
    }

    static JobOutcome failed(Delivery job, String worker, long startedMs, String error) {
        return base(job, worker, startedMs).setStatus(JobOutcome.Status.FAILED).setError(error).setRetryable(true).build();
    }

    /** The worker process died under the job: a failed attempt, retried at once (not the job's fault). */
    static JobOutcome lost(Delivery job, String worker, long startedMs, String error) {
        return base(job, worker, startedMs).setStatus(JobOutcome.Status.FAILED).setError(error).setRetryable(true)
                .setWorkerLost(true).build();
    }

    /** The assistant stopped the job (timeout, cancel, superseded, self-fence): say why, whatever the worker said. */
    static JobOutcome stopped(JobOutcome o, String reason, boolean cancelled) {
        if (o.getStatus() == JobOutcome.Status.SUCCEEDED && !cancelled) {
            return o;
        }
        return o.toBuilder().setStatus(cancelled ? JobOutcome.Status.CANCELLED : JobOutcome.Status.FAILED)
                .setError(reason).setRetryable(!cancelled).setWorkerLost(false).build();
    }

    private static JobOutcome.Builder base(Delivery job, String worker, long startedMs) {
        return JobOutcome.newBuilder().setJobId(job.getJobId()).setAttempt(job.getAttempt()).setWorker(worker)
                .setStartedAtMs(startedMs).setFinishedAtMs(System.currentTimeMillis()).setResult(ByteString.EMPTY);
    }
}

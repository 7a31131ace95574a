package io.earthling.manager.internal.intake;

import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.ResultBatch;

/**
 * Fails an attempt whose result is over {@code limits.maxResultBytes}, before it reaches the dispatcher: the job
 * is not retried (the same handler would return the same result) and nothing of the result is stored. A split is
 * exempt: its children are stored as jobs, not as a result.
 */
public final class ResultCap {
    private ResultCap() {
    }

    public static ResultBatch apply(ResultBatch batch, int maxBytes) {
        ResultBatch.Builder out = null;
        for (int i = 0; i < batch.getOutcomesCount(); i++) {
            JobOutcome o = batch.getOutcomes(i);
            int size = o.getResult().size();
            if (o.getStatus() != JobOutcome.Status.SUCCEEDED || size <= maxBytes || isSplit(o)) {
                continue;
            }
            out = out == null ? batch.toBuilder() : out;
            out.setOutcomes(i, o.toBuilder().setStatus(JobOutcome.Status.FAILED).clearResult().setRetryable(false)
                    .setError("result is " + size + " bytes, over the limit of " + maxBytes
                            + " bytes (limits.maxResultBytes): return less, or write it elsewhere and return a reference"));
        }
        return out == null ? batch : out.build();
    }

    /** A split is what the worker marked as one, never a result that reads like one (issue 16, item 7). */
    private static boolean isSplit(JobOutcome o) {
        return o.getSplit();
    }
}

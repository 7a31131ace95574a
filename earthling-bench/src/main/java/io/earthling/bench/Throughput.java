package io.earthling.bench;

import java.util.concurrent.TimeUnit;

/** {@code jobs} no-op jobs submitted in batches as fast as they commit; completed jobs/s from first submit to last end. */
final class Throughput {
    record Result(String contender, int jobs, double seconds, double jobsPerSecond, int duplicates, boolean complete) {
    }

    static Result run(Contender c, Recorder r, int jobs, int batch, long timeoutSeconds) throws Exception {
        long t0 = Recorder.nowMicros();
        for (int from = 0; from < jobs; from += batch) {
            int to = Math.min(jobs, from + batch);
            c.submit(from, to);
            r.committed(from, to, Recorder.nowMicros());
        }
        boolean complete = r.awaitDone(jobs, timeoutSeconds, TimeUnit.SECONDS);
        double seconds = (r.lastEndMicros(0, jobs) - t0) / 1e6;
        return new Result(c.name(), jobs, seconds, complete ? jobs / seconds : r.done() / seconds, r.duplicates(), complete);
    }
}

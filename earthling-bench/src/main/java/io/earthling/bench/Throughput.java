package io.earthling.bench;

import java.util.concurrent.TimeUnit;

/** {@code jobs} no-op jobs submitted in batches as fast as they commit; completed jobs/s from first submit to last end. */
final class Throughput {
    record Result(String contender, int jobs, double seconds, double jobsPerSecond, int duplicates, boolean complete) {
    }

    /**
     * Runs the jobs with keys {@code jobs .. jobs + warmUp} first and waits for them, unmeasured, so that JIT
     * compilation, connection pools and caches are warm; the recorder must hold {@code jobs + warmUp} keys.
     */
    static void warmUp(Contender c, Recorder r, int jobs, int warmUp, int batch, long timeoutSeconds) throws Exception {
        submit(c, r, jobs, jobs + warmUp, batch);
        r.awaitDone(warmUp, timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Keys {@code 0 .. jobs}, after {@code before} jobs already done (the warm-up). */
    static Result run(Contender c, Recorder r, int jobs, int before, int batch, long timeoutSeconds) throws Exception {
        long t0 = Recorder.nowMicros();
        submit(c, r, 0, jobs, batch);
        boolean complete = r.awaitDone(before + jobs, timeoutSeconds, TimeUnit.SECONDS);
        double seconds = (r.lastEndMicros(0, jobs) - t0) / 1e6;
        int done = r.done() - before;
        return new Result(c.name(), jobs, seconds, complete ? jobs / seconds : done / seconds, r.duplicates(), complete);
    }

    private static void submit(Contender c, Recorder r, int fromKey, int toKey, int batch) throws Exception {
        for (int from = fromKey; from < toKey; from += batch) {
            int to = Math.min(toKey, from + batch);
            c.submit(from, to);
            r.committed(from, to, Recorder.nowMicros());
        }
    }
}

package io.earthling.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * No-op jobs submitted at a fixed rate: every 10 ms a batch brings the submitted count up to rate × elapsed time
 * (a slow commit makes the next batch bigger, so the schedule holds). Pickup is the time from the batch's commit
 * to the job's handler start.
 */
final class PickupLatency {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    record Result(String contender, int rate, int jobs, double achievedRate, double p50Ms, double p99Ms, double maxMs,
            double commitP50Ms, double commitP99Ms, int completed, boolean complete) {
    }

    static int jobsAt(int rate, double seconds) {
        return (int) Math.max(1, Math.round(rate * seconds));
    }

    /**
     * One rate after another on one running contender; keys of each rate follow the previous rate's, after
     * {@code before} jobs already done (the warm-up).
     */
    static List<Result> run(Contender c, Recorder r, List<Integer> rates, double seconds, int before,
                            long timeoutSeconds) throws Exception {
        List<Result> out = new ArrayList<>();
        int offset = 0;
        for (int rate : rates) {
            int n = jobsAt(rate, seconds);
            out.add(one(c, r, rate, offset, n, before, timeoutSeconds));
            offset += n;
        }
        return out;
    }

    private static Result one(Contender c, Recorder r, int rate, int offset, int n, int before, long timeoutSeconds)
            throws Exception {
        List<Long> commitNanos = new ArrayList<>();
        long start = System.nanoTime();
        long lastCommit = start;
        int sent = 0;
        for (long tick = 0; sent < n; tick++) {
            long due = start + tick * TICK_NANOS;
            LockSupport.parkNanos(due - System.nanoTime());
            int target = (int) Math.min(n, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            if (target > sent) {
                long t0 = System.nanoTime();
                c.submit(offset + sent, offset + target);
                r.committed(offset + sent, offset + target, Recorder.nowMicros());
                lastCommit = System.nanoTime();
                commitNanos.add(lastCommit - t0);
                sent = target;
            }
        }
        double achieved = n / Math.max(1e-9, (lastCommit - start) / 1e9);
        boolean complete = r.awaitDone(before + offset + n, timeoutSeconds, TimeUnit.SECONDS);
        long[] pickup = r.pickupMicros(offset, offset + n);
        long[] commits = commitNanos.stream().mapToLong(Long::longValue).map(ns -> ns / 1000).toArray();
        return new Result(c.name(), rate, n, achieved, pct(pickup, 50), pct(pickup, 99), pct(pickup, 100),
                pct(commits, 50), pct(commits, 99), r.done() - before - offset, complete);
    }

    /** Nearest-rank percentile of microseconds, in milliseconds. */
    static double pct(long[] micros, double p) {
        if (micros.length == 0) {
            return 0;
        }
        long[] s = micros.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))] / 1000.0;
    }
}

package io.earthling.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The work of one benchmark job: nothing, or {@code cpuMs} of this thread's CPU time spent on SHA-256 hashing. It
 * reports its start and end to a {@link Recorder} (in this JVM, or over TCP from a worker process).
 */
public record BenchJob(int cpuMs) {

    public void run(int key, Recorder.Sink sink) {
        long start = Recorder.nowMicros();
        if (cpuMs > 0) {
            burn(cpuMs);
        }
        sink.record(key, start, Recorder.nowMicros());
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    // CPU time, not wall time: with more busy workers than cores, wall time would let jobs "finish" without the work.
    private static void burn(int ms) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[4096];
            long until = THREADS.getCurrentThreadCpuTime() + ms * 1_000_000L;
            while (THREADS.getCurrentThreadCpuTime() < until) {
                block = sha.digest(block);
                block = java.util.Arrays.copyOf(block, 4096);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.earthling.examples;

import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import java.security.MessageDigest;

/**
 * Burns CPU for {@code {"ms": N}} by hashing, and ignores interrupts and cancellation on purpose: a CPU-bound job
 * for benchmarks, and the job that makes the assistant kill and restart a worker process after a timeout.
 */
public final class SpinHandler implements JobHandler {
    @Override
    public String type() {
        return "spin";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        long until = System.nanoTime() + context.payloadJson().path("ms").asLong(20) * 1_000_000;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[4096];
        long rounds = 0;
        while (System.nanoTime() < until) {
            block = sha.digest(block);
            rounds++;
            Thread.interrupted(); // deliberately not stopping
        }
        return "{\"rounds\": " + rounds + "}";
    }
}

package io.earthling.faults;

import com.google.protobuf.ByteString;
import io.earthling.api.internal.RetryHints;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.SubmitBatchRequest;
import io.earthling.protocol.jobs.SubmitBatchResponse;
import io.earthling.protocol.jobs.SubmitRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * A client submitting {@code evidence} jobs at a set rate over gRPC ({@code SubmitBatch}, one batch of
 * {@link #BATCH} jobs per call) to whichever manager holds the lease, as an application would, from
 * {@link #LANES} threads. Every call is recorded with its gRPC answer, so the scenarios can say what intake answered
 * per phase. A refusal is retried as the Java client does: {@code RESOURCE_EXHAUSTED} after its hint, doubled up to
 * 2 s; {@code UNAVAILABLE} and a deadline after 200 ms (each retry a new submission with a tag of its own, so a call
 * that stored its jobs but lost its answer is never counted as acknowledged). The rate can change while it runs.
 */
final class SteadyLoad implements AutoCloseable {
    static final int BATCH = 5;
    static final int LANES = 3;
    static final long DEADLINE_MS = 10_000;

    /** One call: when it started, how long it took, its gRPC code ("OK" when acknowledged), the jobs it carried. */
    record Call(long atMs, long tookMs, String code, int jobs, String error) {
    }

    private final FaultCluster cluster;
    private final Monitor monitor;
    private final String prefix;
    private final long sleepMs;
    private final DoubleSupplier jobsPerSecond;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Workload.Submission> submissions = new CopyOnWriteArrayList<>();
    private final List<Thread> lanes = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * Jobs of payload tag {@code prefix-<lane>-<n>}, each sleeping {@code sleepMs} in its handler, at
     * {@code jobsPerSecond} (read before every call; 0 pauses).
     */
    SteadyLoad(FaultCluster cluster, Monitor monitor, String prefix, long sleepMs, DoubleSupplier jobsPerSecond) {
        this.cluster = cluster;
        this.monitor = monitor;
        this.prefix = prefix;
        this.sleepMs = sleepMs;
        this.jobsPerSecond = jobsPerSecond;
        for (int port : cluster.managerPorts) {
            channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        for (int lane = 0; lane < LANES; lane++) {
            int l = lane;
            Thread t = new Thread(() -> lane(l), "steady-load-" + lane);
            t.setDaemon(true);
            lanes.add(t);
        }
    }

    void start() {
        lanes.forEach(Thread::start);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Workload.Submission> submissions() {
        return List.copyOf(submissions);
    }

    private void lane(int lane) {
        int n = 0;
        long next = System.currentTimeMillis();
        long backoff = 0;
        while (running) {
            double rate = jobsPerSecond.getAsDouble();
            if (rate <= 0) {
                sleep(100);
                next = System.currentTimeMillis();
                continue;
            }
            long gap = (long) (1000.0 * BATCH * LANES / rate);
            long now = System.currentTimeMillis();
            if (next > now) {
                sleep(Math.min(next - now, 200));
                continue;
            }
            // On schedule, or late after a slow call: then no burst to catch up, as a client with one call at a
            // time would.
            next = Math.max(next + gap, now);
            String tag = prefix + "-" + lane + "-" + n++;
            long[] hint = {-1};
            String code = submit(tag, hint);
            if (code.equals("OK")) {
                backoff = 0;
            } else {
                // Retried (with a new tag) no sooner than the backoff: 200 ms, or the refusal's hint doubled to 2 s.
                backoff = Math.min(2_000, Math.max(hint[0] >= 0 ? hint[0] : 200, backoff * 2));
                next = Math.max(next, System.currentTimeMillis() + backoff);
            }
        }
    }

    /** Submits one batch; returns its gRPC code and puts a refusal's retry hint (or -1) into {@code hint[0]}. */
    private String submit(String tag, long[] hint) {
        int m = Math.max(0, cluster.managerOf(String.valueOf(monitor.holder())));
        String payload = "{\"dir\":\"" + cluster.evidenceDir + "\",\"sleepMs\":" + sleepMs + ",\"tag\":\"" + tag + "\"}";
        SubmitBatchRequest.Builder b = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < BATCH; i++) {
            b.addJobs(SubmitRequest.newBuilder().setType(EvidenceHandler.TYPE)
                    .setPayload(ByteString.copyFrom(payload, StandardCharsets.UTF_8)));
        }
        long at = System.currentTimeMillis();
        String code;
        List<Long> ids = List.of();
        String error = null;
        try {
            SubmitBatchResponse r = JobsGrpc.newBlockingStub(channels.get(m))
                    .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).submitBatch(b.build());
            ids = List.copyOf(r.getIdsList());
            code = "OK";
        } catch (StatusRuntimeException e) {
            code = e.getStatus().getCode().name();
            hint[0] = RetryHints.hintMs(e);
            error = code + ": " + e.getStatus().getDescription();
        }
        long took = System.currentTimeMillis() - at;
        calls.add(new Call(at, took, code, BATCH, error));
        submissions.add(new Workload.Submission(at, "grpc", tag, BATCH, null, ids, 0, code.equals("OK"), error));
        return code;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(Math.max(1, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops submitting; waits for the calls under way (at most their deadline). */
    @Override
    public void close() {
        running = false;
        for (Thread t : lanes) {
            try {
                t.join(DEADLINE_MS + 2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channels.forEach(ManagedChannel::shutdownNow);
    }
}

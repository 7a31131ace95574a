package io.earthling.assistant.internal;

import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.worker.InterruptRequest;
import io.earthling.protocol.worker.TypesRequest;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker OS process listening on a loopback address (the assistant's if that is one) and its own port, serving
 * only calls that carry the secret this slot gave it at spawn. It exits when its stdin closes,
 * so a worker never outlives its assistant. When it dies it is started again, after a pause that doubles while
 * it keeps dying young; after {@link #CRASH_LOOP_LIMIT} early deaths in a row the slot is given up as broken.
 */
final class ProcessSlot implements WorkerSlot {
    private static final Logger log = LoggerFactory.getLogger(ProcessSlot.class);
    static final int CRASH_LOOP_LIMIT = 5;
    /** A process that lived at least this long after its spawn did not die young: its death resets the count. */
    static final long HEALTHY_UPTIME_MS = 3_000;

    private final String address;
    private final int port;
    private final Supplier<List<String>> command;
    private final WorkerClassArchive archive;
    private final java.util.Map<String, String> environment;
    /** The job types the process said it runs when it last started. */
    private volatile java.util.Set<String> types = java.util.Set.of();
    private volatile List<String> launched = List.of();
    private volatile ManagedChannel channel;
    /** {@link #channel} presenting the secret of the process it talks to. */
    private volatile io.grpc.Channel calls;
    private volatile WorkerGrpc.WorkerStub stub;
    private volatile WorkStream work;
    private volatile Process process;
    private volatile boolean healthy;
    private volatile boolean closed;
    private volatile boolean broken;
    private volatile long spawnedMs;
    private volatile long exitedMs;
    /** When the process last answered anything (a ping or a job): a busy machine may delay pings, not answers. */
    private volatile long lastAnswerMs;
    private int youngDeaths;
    private int restarts;

    ProcessSlot(String address, int port, Supplier<List<String>> command, WorkerClassArchive archive) {
        this(address, port, command, archive, java.util.Map.of());
    }

    /** A process started with {@code environment} added to the assistant's (a Python worker's PYTHONPATH). */
    ProcessSlot(String address, int port, Supplier<List<String>> command, WorkerClassArchive archive,
                java.util.Map<String, String> environment) {
        this.address = address;
        this.port = port;
        this.command = command;
        this.archive = archive;
        this.environment = environment;
    }

    /** Starts the process and waits until it answers. */
    void start() throws IOException {
        // A fresh channel per process: an old one may sit in a long reconnect backoff after the last death.
        ManagedChannel old = channel;
        // Its callbacks only hand outcomes on and send the next job; one that must wait moves to its own thread.
        // Each spawn gets its own secret: the process serves only calls that carry it (issue 16, item 5).
        String secret = io.earthling.worker.WorkerSecret.fresh();
        channel = GrpcServers.inlineChannel(address + ":" + port);
        calls = io.grpc.ClientInterceptors.intercept(channel, io.earthling.worker.WorkerSecret.presenting(secret));
        stub = WorkerGrpc.newStub(calls);
        if (old != null) {
            old.shutdownNow();
        }
        spawnedMs = monotonicMs();
        launched = command.get();
        ProcessBuilder builder = new ProcessBuilder(launched).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        WorkerEnvironment.apply(builder.environment(), environment, secret);
        process = builder.start();
        long deadline = monotonicMs() + 60_000;
        while (true) {
            try {
                io.earthling.protocol.worker.TypesResponse said = WorkerGrpc.newBlockingStub(calls).withWaitForReady()
                        .withDeadlineAfter(250, TimeUnit.MILLISECONDS).types(TypesRequest.getDefaultInstance());
                long pid = said.getPid();
                if (pid != process.pid()) {
                    process.destroyForcibly();
                    throw new IOException("port " + port + " on " + address + " answers, but from another process (pid "
                            + pid + "); is the port taken?");
                }
                types = java.util.Set.copyOf(said.getTypesList());
                break;
            } catch (io.grpc.StatusRuntimeException e) {
                if (!process.isAlive() || monotonicMs() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("worker process on " + name() + " did not start"
                            + (process.isAlive() ? " within 60 s" : " (exit code " + exitCode() + ")"), e);
                }
                channel.resetConnectBackoff();
            }
        }
        lastAnswerMs = monotonicMs();
        work = open();
        healthy = true;
        Process mine = process;
        mine.onExit().thenRun(() -> exited(mine));
    }

    private String exitCode() {
        try {
            return String.valueOf(process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : "?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private synchronized void exited(Process which) {
        if (which != process) {
            return;
        }
        healthy = false;
        exitedMs = monotonicMs();
        if (closed) {
            return;
        }
        youngDeaths = exitedMs - spawnedMs < HEALTHY_UPTIME_MS ? youngDeaths + 1 : 1;
        if (youngDeaths > 1 && archive.inUse(launched)) {
            archive.disable("worker " + name() + " died young while using it");
        }
        if (youngDeaths > CRASH_LOOP_LIMIT) {
            broken = true;
            log.error("Worker process {} died {} times in a row within {} ms of starting: the slot is broken and stays"
                    + " down until the assistant restarts", name(), youngDeaths - 1, HEALTHY_UPTIME_MS);
            return;
        }
        restarts++;
        long delay = youngDeaths <= 1 ? 0 : Math.min(10_000, 250L << (youngDeaths - 2));
        log.warn("Worker process {} exited (code {}); restarting it in {} ms", name(), which.exitValue(), delay);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            try {
                if (!closed) {
                    start();
                    log.info("Worker process {} is back (pid {})", name(), process.pid());
                }
            } catch (IOException e) {
                log.error("Worker process {} could not be restarted: {}; trying again", name(), e.getMessage());
                exited(process);
            }
        });
    }

    @Override
    public String name() {
        return address + ":" + port;
    }

    @Override
    public CompletableFuture<JobOutcome> execute(Delivery job) {
        return work.send(List.of(job)).get(0);
    }

    @Override
    public List<CompletableFuture<JobOutcome>> executeAll(List<Delivery> jobs) {
        return work.send(jobs);
    }

    private WorkStream open() {
        Process mine = process;
        return new WorkStream(stub, name(), new WorkStream.Events() {
            @Override
            public void answered() {
                lastAnswerMs = monotonicMs();
            }

            @Override
            public void broken() {
                // Out of service before its exit is noticed, or the next waiting job would be handed to a dead process.
                if (exitsSoon(mine)) {
                    if (process == mine) {
                        healthy = false;
                    }
                } else if (process == mine && !closed) {
                    log.warn("The job stream to worker process {} broke while the process lives; opening a new one", name());
                    work = open();
                }
            }
        });
    }

    private static boolean exitsSoon(Process p) {
        try {
            return p.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The job types this worker runs, as it said when it last started. */
    java.util.Set<String> types() {
        return types;
    }

    @Override
    public boolean runs(String type) {
        return types.contains(type);
    }

    @Override
    public boolean holdsMore() {
        return true;
    }

    @Override
    public boolean interrupt(long jobId) {
        try {
            return WorkerGrpc.newBlockingStub(calls).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .interrupt(InterruptRequest.newBuilder().setJobId(jobId).build()).getFound();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public java.util.Optional<String> logSoFar(long jobId) {
        try {
            io.earthling.protocol.worker.TailResponse r = WorkerGrpc.newBlockingStub(calls).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .tail(io.earthling.protocol.worker.TailRequest.newBuilder().setJobId(jobId).build());
            return r.getFound() ? java.util.Optional.of(r.getLog()) : java.util.Optional.empty();
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public boolean healthy() {
        WorkStream w = work;
        // A broken stream takes nothing, even before the process's exit (or a new stream) is noticed.
        return healthy && w != null && !w.broken();
    }

    /** When the worker last answered, on {@link #monotonicMs()}. */
    long lastAnswerMs() {
        return lastAnswerMs;
    }

    /** The clock of a worker's silences and uptimes: monotonic, so a wall-clock step kills no worker. */
    static long monotonicMs() {
        return System.nanoTime() / 1_000_000;
    }

    boolean broken() {
        return broken;
    }

    int restarts() {
        return restarts;
    }

    /** Whether the process answers within {@code deadlineMs}. */
    CompletableFuture<Boolean> ping(long deadlineMs) {
        CompletableFuture<Boolean> answered = new CompletableFuture<>();
        io.grpc.Context.ROOT.run(() -> stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
                .types(TypesRequest.getDefaultInstance(), new StreamObserver<>() {
                    public void onNext(io.earthling.protocol.worker.TypesResponse r) {
                        lastAnswerMs = monotonicMs();
                        answered.complete(true);
                    }

                    public void onError(Throwable t) {
                        answered.complete(false);
                    }

                    public void onCompleted() {
                    }
                }));
        return answered;
    }

    /** SIGKILL to the process with this pid, if it is still this slot's; its exit restarts it. */
    void kill(long pid) {
        Process p = process;
        if (p != null && p.pid() == pid) {
            p.destroyForcibly();
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        closed = true;
        if (channel != null) {
            channel.shutdownNow();
        }
        Process p = process;
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

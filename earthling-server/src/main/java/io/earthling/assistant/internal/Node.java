package io.earthling.assistant.internal;

import io.earthling.api.EarthlingException;
import io.earthling.assistant.AssistantSettings;
import io.earthling.grpc.GrpcServers;
import io.earthling.worker.HandlerRegistry;
import io.earthling.worker.JobRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An assistant's parts wired together: workers, the idle pool, the service and the link to the leader. */
public final class Node implements AutoCloseable {
    private final List<WorkerSlot> slots;
    private final AssistantService service;
    private final ManagerLink link;
    private final Watchdog watchdog;
    private final Lifecycle lifecycle;
    private final RunningJobs running;
    private final List<Thread> threads = new ArrayList<>();

    private Node(List<WorkerSlot> slots, AssistantService service, ManagerLink link, Watchdog watchdog,
                 Lifecycle lifecycle, RunningJobs running) {
        this.slots = slots;
        this.service = service;
        this.link = link;
        this.watchdog = watchdog;
        this.lifecycle = lifecycle;
        this.running = running;
    }

    public static Node create(AssistantSettings s) {
        return create(s, GrpcServers::channel);
    }

    /** {@link #create(AssistantSettings)} reaching managers through {@code channels} (target to channel, e.g. with TLS). */
    public static Node create(AssistantSettings s, java.util.function.Function<String, io.grpc.ManagedChannel> channels) {
        HandlerRegistry registry = HandlerRegistry.load(s.handlersDir() == null ? null : Path.of(s.handlersDir()),
                s.commandAllowList(), s.commandEnv(), s.examples());
        List<WorkerSlot> slots = new ArrayList<>(s.threads() > 0 ? threads(s, registry) : processes(s));
        try {
            slots.addAll(pythonProcesses(s));
        } catch (RuntimeException e) {
            slots.forEach(WorkerSlot::close);
            throw e;
        }
        SlotPool pool = new SlotPool(slots);
        Lifecycle lifecycle = new Lifecycle();
        RunningJobs running = new RunningJobs(lifecycle::now); // one monotonic clock for contact and job deadlines
        ResultOutbox outbox = new ResultOutbox();
        EpochGate epochs = new EpochGate();
        LocalQueue queue = new LocalQueue(pool, running, outbox, lifecycle, s.prefetch());
        AssistantService service = new AssistantService(pool, running, lifecycle, epochs, queue);
        ManagerLink link = new ManagerLink(s.address(), s.port(), s.managers(), pool, running, outbox, queue, epochs,
                types(slots, registry), s.heartbeatMs(), lifecycle).channels(channels);
        return new Node(slots, service, link, new Watchdog(slots, running, lifecycle, queue), lifecycle, running);
    }

    private static List<WorkerSlot> threads(AssistantSettings s, HandlerRegistry registry) {
        JobRunner runner = new JobRunner(registry);
        List<WorkerSlot> slots = new ArrayList<>();
        for (int i = 1; i <= s.threads(); i++) {
            slots.add(new ThreadSlot(s.nodeId() + "/thread-" + i, runner));
        }
        return slots;
    }

    /**
     * The job types this node offers: those of its Java workers (thread or process), and those its Python worker
     * processes said they run, so the leader sends a Python type only to nodes with a Python worker that has it.
     */
    private static List<String> types(List<WorkerSlot> slots, HandlerRegistry registry) {
        java.util.SortedSet<String> types = new java.util.TreeSet<>();
        for (WorkerSlot slot : slots) {
            if (slot instanceof ProcessSlot p) {
                types.addAll(p.types());
            } else {
                types.addAll(registry.types());
            }
        }
        return List.copyOf(types);
    }

    private static List<WorkerSlot> processes(AssistantSettings s) {
        if (s.workerPorts().isEmpty()) {
            return List.of();
        }
        WorkerClassArchive archive = new WorkerClassArchive(s.jvmOptions());
        archive.prepare(WorkerCommand.training(s));
        List<ProcessSlot> slots = new ArrayList<>();
        String local = WorkerEnvironment.loopbackFor(s.address());
        for (int port : s.workerPorts()) {
            slots.add(new ProcessSlot(local, port, () -> WorkerCommand.of(s, local, port, archive.options()), archive));
        }
        return startAll(slots);
    }

    /** Python worker processes ({@code runtime: python}), started, watched and restarted like the Java ones. */
    private static List<WorkerSlot> pythonProcesses(AssistantSettings s) {
        AssistantSettings.PythonWorkers py = s.python();
        WorkerClassArchive none = new WorkerClassArchive(List.of());
        java.util.Map<String, String> env = PythonCommand.environment(py, System.getenv());
        List<ProcessSlot> slots = new ArrayList<>();
        String local = WorkerEnvironment.loopbackFor(s.address());
        for (int port : py.ports()) {
            slots.add(new ProcessSlot(local, port, () -> PythonCommand.of(py, local, port), none, env));
        }
        return startAll(slots);
    }

    private static List<WorkerSlot> startAll(List<ProcessSlot> slots) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (ProcessSlot slot : slots) {
            started.add(CompletableFuture.runAsync(() -> {
                try {
                    slot.start();
                } catch (IOException e) {
                    throw new EarthlingException(e.getMessage(), e);
                }
            }));
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            slots.forEach(ProcessSlot::close);
            throw e.getCause() instanceof EarthlingException ee ? ee : new EarthlingException(e.getMessage(), e);
        }
        return new ArrayList<>(slots);
    }

    public io.grpc.BindableService service() {
        return service;
    }

    public void connect() {
        spawn(link, "earthling-link");
        spawn(link.heartbeats(), "earthling-heartbeat");
        spawn(watchdog, "earthling-watchdog");
    }

    private void spawn(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /** Takes no new work; the node leaves once its running jobs are done and their results acknowledged. */
    public void drain() {
        lifecycle.drain();
    }

    public int running() {
        return running.size();
    }

    /** Waits until the node has left after a drain; false at the timeout. */
    public boolean awaitLeft(long ms) throws InterruptedException {
        return lifecycle.awaitLeft(ms);
    }

    public void awaitLeft() throws InterruptedException {
        lifecycle.awaitLeft();
    }

    public int workerCount() {
        return slots.size();
    }

    public List<Long> workerPids() {
        return slots.stream().filter(ProcessSlot.class::isInstance).map(s -> ((ProcessSlot) s).pid()).toList();
    }

    @Override
    public void close() {
        link.stop();
        watchdog.stop();
        threads.forEach(Thread::interrupt);
        slots.parallelStream().forEach(WorkerSlot::close);
    }
}

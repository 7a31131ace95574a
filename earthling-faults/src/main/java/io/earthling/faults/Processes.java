package io.earthling.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The role processes of one run, each a JVM of {@code earthling.jar} with its output in {@code <name>.log} under
 * the run's directory. Knows which ones the harness took down on purpose (killed, waiting to be restarted; or
 * stopped), restarts any other that exits by itself as a supervisor would, and kills everything it started, their
 * children included, on {@link #close()}.
 */
final class Processes implements AutoCloseable {
    record Exit(String name, long atMs, int code) {
    }

    private final Path jar;
    private final Path dir;
    private final Clocks clocks;
    private final Map<String, List<String>> commands = new ConcurrentHashMap<>();
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Long>> stopped = new ConcurrentHashMap<>();
    private final List<Exit> selfExits = new CopyOnWriteArrayList<>();
    private final Map<String, Long> logStart = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final Set<Process> clients = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean archiving = new java.util.concurrent.atomic.AtomicBoolean();
    private Process signaller;
    private java.io.PrintWriter toSignaller;
    private java.io.BufferedReader fromSignaller;

    /** {@code clocks}: libfaketime for every role process, or null (no clock steps in this run). */
    Processes(Path jar, Path dir, Clocks clocks) {
        this.jar = jar;
        this.dir = dir;
        this.clocks = clocks;
    }

    Path dir() {
        return dir;
    }

    /** Starts {@code earthling ARGS...} as {@code name} (and remembers how, for restarts). */
    synchronized Process start(String name, String... args) {
        commands.put(name, List.of(args));
        down.remove(name);
        try {
            Path log = dir.resolve(name + ".log");
            logStart.put(name, Files.exists(log) ? Files.size(log) : 0L);
            ProcessBuilder pb = new ProcessBuilder(command(List.of(args))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
            if (clocks != null) {
                pb.environment().putAll(clocks.environment(name));
            }
            Process p = pb.start();
            running.put(name, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void restart(String name) {
        if (!closed) {
            start(name, commands.get(name).toArray(String[]::new));
        }
    }

    /** What process {@code name} has logged since it was last started ("" if nothing, or unreadable). */
    String logSinceStart(String name) {
        Path log = dir.resolve(name + ".log");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long from = logStart.getOrDefault(name, 0L);
            byte[] b = new byte[(int) Math.max(0, Math.min(f.length() - from, 4 << 20))];
            f.seek(from);
            f.readFully(b);
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    Process process(String name) {
        return running.get(name);
    }

    boolean isStopped(String name) {
        return stopped.containsKey(name);
    }

    /** SIGKILL, like {@code kill -9}: no shutdown hook runs. It stays down until {@link #restart}. */
    void kill9(String name) throws InterruptedException {
        down.add(name);
        Process p = running.get(name);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP of the process (and its descendants when {@code tree}); {@link #resume} continues the same ones. */
    void stop(String name, boolean tree) {
        Process p = running.get(name);
        List<Long> pids = new ArrayList<>(List.of(p.pid()));
        if (tree) {
            p.descendants().forEach(h -> pids.add(h.pid()));
        }
        stopped.put(name, pids);
        signal("STOP", pids);
    }

    void resume(String name) {
        List<Long> pids = stopped.remove(name);
        if (pids != null) {
            signal("CONT", pids);
        }
    }

    /** Continues everything stopped and starts everything down: the end of the faults. */
    void healAll() {
        for (String name : List.copyOf(stopped.keySet())) {
            resume(name);
        }
        for (String name : List.copyOf(down)) {
            restart(name);
        }
    }

    /**
     * Restarts (once a second at most, as systemd's {@code Restart=always} would) a process that exited although
     * the harness neither killed nor stopped it, e.g. a manager that stepped down and exits non-zero.
     */
    synchronized void superviseOnce() {
        for (Map.Entry<String, Process> e : running.entrySet()) {
            String name = e.getKey();
            Process p = e.getValue();
            if (!closed && !down.contains(name) && !stopped.containsKey(name) && !p.isAlive()) {
                selfExits.add(new Exit(name, System.currentTimeMillis(), p.exitValue()));
                restart(name);
            }
        }
    }

    List<Exit> selfExits() {
        return List.copyOf(selfExits);
    }

    /**
     * Runs a client command with a deadline; a command still running then is killed (and reported as such). The
     * first call writes a class-data-sharing archive of what the CLI loads ({@code cli.jsa} beside the run's
     * directory) and later calls map it: a CLI's JVM then starts on about half the CPU, which matters on a machine
     * that runs fourteen other JVMs.
     */
    CliResult cli(long timeoutMs, String... args) {
        Path archive = dir.resolveSibling("cli.jsa");
        boolean dumping = false;
        List<String> cmd = command(List.of(args));
        cmd.add(1, "-Xlog:disable"); // no JVM warnings (about the archive) in what the CLI says
        if (Files.isRegularFile(archive)) {
            cmd.add(1, "-XX:SharedArchiveFile=" + archive);
        } else if (archiving.compareAndSet(false, true)) {
            cmd.add(1, "-XX:ArchiveClassesAtExit=" + archive);
            dumping = true;
        }
        try {
            Path out = Files.createTempFile(dir, "cli", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            clients.add(p);
            boolean done;
            try {
                done = p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
            } finally {
                clients.remove(p);
            }
            if (dumping) {
                archiving.set(false); // written, or not: then the next call tries again
            }
            if (!done) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(out);
            Files.delete(out);
            return new CliResult(done ? p.exitValue() : -1, text, !done);
        } catch (IOException e) {
            return new CliResult(-1, "cannot run the CLI: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CliResult(-1, "interrupted", false);
        }
    }

    record CliResult(int exit, String output, boolean timedOut) {
    }

    private List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Sends a signal through one long-lived {@code bash} whose {@code kill} is a builtin: no fork per signal, so a
     * SIGSTOP lands within a millisecond of the decision (what stopping a leader inside a transaction needs).
     */
    private synchronized void signal(String sig, List<Long> pids) {
        try {
            if (signaller == null || !signaller.isAlive()) {
                signaller = new ProcessBuilder("bash", "-c",
                        "while read -r sig pids; do kill -$sig $pids 2>/dev/null; echo ok; done")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                toSignaller = new java.io.PrintWriter(signaller.getOutputStream(), true);
                fromSignaller = new java.io.BufferedReader(new java.io.InputStreamReader(signaller.getInputStream()));
            }
            StringBuilder line = new StringBuilder(sig);
            pids.forEach(p -> line.append(' ').append(p));
            toSignaller.println(line);
            fromSignaller.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        clients.forEach(Process::destroyForcibly);
        for (Process p : running.values()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : running.values()) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (signaller != null) {
            signaller.destroyForcibly();
        }
    }
}

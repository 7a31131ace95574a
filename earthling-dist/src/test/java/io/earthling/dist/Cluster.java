package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Real OS processes of the built jar ({@code target/earthling.jar}), each role its own JVM, logs under
 * {@code target/it-logs/<test>/}. Closing kills every process it started and their children.
 */
final class Cluster implements AutoCloseable {
    static final Path JAR = Path.of("target", "earthling.jar").toAbsolutePath();

    private final Path dir;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();

    Cluster(String testName) {
        this.dir = Path.of("target", "it-logs", testName).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(JAR).as("the jar is built in the package phase before the ITs").exists();
    }

    Path dir() {
        return dir;
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code earthling ARGS...} in the background; its output goes to {@code <name>.log}. */
    Process start(String name, String... args) {
        return start(name, List.of(), args);
    }

    /** {@link #start(String, String...)} with JVM options after the defaults (a later -Xmx wins). */
    Process start(String name, List<String> jvmOptions, String... args) {
        return start(name, jvmOptions, Map.of(), null, args);
    }

    /** {@link #start(String, String...)} in {@link #dir()}, with {@code env} added (e.g. {@code EARTHLING_*} overrides). */
    Process startIn(String name, Map<String, String> env, String... args) {
        return start(name, List.of(), env, dir, args);
    }

    private Process start(String name, List<String> jvmOptions, Map<String, String> env, Path cwd, String... args) {
        try {
            List<String> cmd = command(args);
            cmd.addAll(cmd.indexOf("-jar"), jvmOptions);
            ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
            if (cwd != null) {
                b.directory(cwd.toFile());
            }
            b.environment().putAll(env);
            Process p = b.start();
            processes.put(name, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a client command to its end and returns its standard output; fails the test on a non-zero exit. */
    String cli(String... args) {
        try {
            Path out = Files.createTempFile(dir, "cli", ".out");
            Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("cli %s finished", List.of(args)).isTrue();
            String text = Files.readString(out);
            assertThat(p.exitValue()).as("exit code of earthling %s; output:%n%s", String.join(" ", args), text).isZero();
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How a client command ended: its exit code, standard output and error, and how long it took. */
    record Run(int exit, String out, String err, java.time.Duration took) {
    }

    /** Runs {@code earthling ARGS...} to its end in {@link #dir()}, with {@code env} added to the environment. */
    Run run(Map<String, String> env, String... args) {
        return runWithInput(env, "", args);
    }

    /** {@link #run(Map, String...)} with {@code stdin} as its standard input. */
    Run runWithInput(Map<String, String> env, String stdin, String... args) {
        try {
            Path in = Files.writeString(Files.createTempFile(dir, "cli", ".in"), stdin);
            Path out = Files.createTempFile(dir, "cli", ".out");
            Path err = Files.createTempFile(dir, "cli", ".err");
            ProcessBuilder b = new ProcessBuilder(command(args)).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(in.toFile());
            b.environment().putAll(env);
            long started = System.nanoTime();
            Process p = b.start();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("cli %s finished", List.of(args)).isTrue();
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err),
                    java.time.Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Process process(String name) {
        return processes.get(name);
    }

    /** SIGKILL, like {@code kill -9}: no shutdown hook runs. */
    void kill9(String name) throws InterruptedException {
        Process p = processes.remove(name);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}

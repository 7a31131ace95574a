package io.earthling.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The wall clock of each role process, stepped at run time through libfaketime (Debian package {@code faketime}),
 * while its monotonic clock runs true. Every manager and assistant starts with it preloaded
 * ({@code LD_PRELOAD}); an assistant's workers inherit it, so a node's processes share one clock, as on one machine.
 *
 * <ul>
 *   <li>{@code FAKETIME_TIMESTAMP_FILE}: the process's spec, {@code clocks/<name>.faketime} in the run's directory:
 *       an offset such as {@code +0} or {@code -5s}, which {@link #step} rewrites;</li>
 *   <li>{@code FAKETIME_CACHE_DURATION=1}: libfaketime re-reads the spec at most once a second (reading it on every
 *       clock call, {@code FAKETIME_NO_CACHE=1}, cut {@code System.currentTimeMillis} to 40,000 calls/s), so a step
 *       lands within about a second of the write;</li>
 *   <li>{@code FAKETIME_DONT_FAKE_MONOTONIC=1}: {@code CLOCK_MONOTONIC} ({@code System.nanoTime}) is left alone
 *       (without it the JVM hangs, libfaketime's README says);</li>
 *   <li>{@code FAKETIME_FORCE_MONOTONIC_FIX=0}: with libfaketime 0.9.10 on glibc 2.36 the "monotonic fix" is on by
 *       default and makes every timed {@code pthread_cond_timedwait} on a monotonic condition variable return at
 *       once: {@code Object.wait(300)} and {@code LockSupport.parkNanos} returned after 0 ms and
 *       {@code Thread.sleep} spun. Off, they wait as long as asked, whatever the offset;</li>
 *   <li>{@code NO_FAKE_STAT=1}: file times stay what the file system says, as after a real clock step.</li>
 * </ul>
 *
 * {@link #check} proves all of this on a JVM before a run relies on it ({@link ClockProbe}).
 */
final class Clocks {
    private final Path library;
    private final Path dir;

    private Clocks(Path library, Path dir) {
        this.library = library;
        this.dir = dir;
    }

    /**
     * libfaketime: {@code -Dfaults.libfaketime=PATH}, {@code EARTHLING_LIBFAKETIME}, or where Debian and
     * {@code make install} put it.
     */
    static Optional<Path> find() {
        String given = System.getProperty("faults.libfaketime", System.getenv("EARTHLING_LIBFAKETIME"));
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isRegularFile);
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> arch = Files.list(Path.of("/usr/lib"))) {
            arch.forEach(d -> candidates.add(d.resolve("faketime").resolve("libfaketime.so.1")));
        } catch (IOException e) {
            // no /usr/lib: not Linux
        }
        candidates.add(Path.of("/usr/local/lib/faketime/libfaketime.so.1"));
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    /**
     * Clocks for the processes of a run under {@code runDir}, or why there are none: libfaketime missing, or a JVM
     * under it that does not behave ({@link #check}).
     */
    static Clocks create(Path runDir) throws InterruptedException {
        Optional<Path> lib = find();
        if (lib.isEmpty()) {
            throw new Unavailable("libfaketime not found (apt-get install faketime, or -Dfaults.libfaketime=PATH)");
        }
        Clocks clocks = new Clocks(lib.get(), runDir.resolve("clocks"));
        try {
            Files.createDirectories(clocks.dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String problem = clocks.check();
        if (problem != null) {
            throw new Unavailable(problem);
        }
        return clocks;
    }

    /** libfaketime cannot step clocks here; the message says why. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String why) {
            super(why);
        }
    }

    Path library() {
        return library;
    }

    /** The environment of role process {@code name}: libfaketime preloaded, its spec at offset 0 (true time). */
    Map<String, String> environment(String name) {
        Path spec = spec(name);
        if (!Files.exists(spec)) {
            write(spec, 0);
        }
        return environment(spec);
    }

    private Map<String, String> environment(Path spec) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LD_PRELOAD", library.toString());
        env.put("FAKETIME_TIMESTAMP_FILE", spec.toString());
        env.put("FAKETIME_CACHE_DURATION", "1");
        env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        env.put("NO_FAKE_STAT", "1");
        return env;
    }

    /** Sets the wall clock of {@code name} (and its children) to true time + {@code offsetMs}; lands within ~1 s. */
    void step(String name, long offsetMs) {
        write(spec(name), offsetMs);
    }

    /** Every clock back to true time (the end of the faults). */
    void resetAll() {
        try (Stream<Path> specs = Files.list(dir)) {
            specs.filter(p -> p.getFileName().toString().endsWith(".faketime")).forEach(p -> write(p, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path spec(String name) {
        return dir.resolve(name + ".faketime");
    }

    private static void write(Path spec, long offsetMs) {
        // Whole seconds with a sign: the spec form libfaketime reads as an offset from the true time.
        String text = String.format("%+ds%n", offsetMs / 1_000);
        try {
            Path tmp = spec.resolveSibling(spec.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, spec, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final long PROBE_OFFSET_MS = 100_000;

    /**
     * Runs {@link ClockProbe} in a JVM under libfaketime with an offset of +100 s. Null when its wall clock read
     * true time + 100 s, its {@code System.nanoTime} lay between this JVM's readings before and after it ran (on
     * Linux {@code CLOCK_MONOTONIC} is one clock for every process), and its timed waits waited; else what failed.
     */
    String check() throws InterruptedException {
        Path spec = dir.resolve("probe.faketime");
        write(spec, PROBE_OFFSET_MS);
        String classpath;
        try {
            classpath = Path.of(ClockProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            return "cannot find the harness's classes: " + e;
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                ClockProbe.class.getName()).redirectErrorStream(true);
        pb.environment().putAll(environment(spec));
        long wallBefore = System.currentTimeMillis();
        long nanoBefore = System.nanoTime();
        String out;
        try {
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "a JVM under libfaketime (" + library + ") did not finish within 60 s";
            }
            out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.exitValue() != 0) {
                return "a JVM under libfaketime (" + library + ") exited " + p.exitValue() + ": " + out;
            }
        } catch (IOException e) {
            return "cannot start a JVM under libfaketime: " + e;
        }
        long nanoAfter = System.nanoTime();
        long wallAfter = System.currentTimeMillis();
        String[] f = out.split("\\s+");
        if (f.length != 3) {
            return "unexpected answer of the clock probe: " + out;
        }
        long wall = Long.parseLong(f[0]);
        long nano = Long.parseLong(f[1]);
        long waited = Long.parseLong(f[2]);
        List<String> wrong = new ArrayList<>();
        if (wall - PROBE_OFFSET_MS < wallBefore - 1_500 || wall - PROBE_OFFSET_MS > wallAfter + 1_500) {
            wrong.add("its wall clock read " + (wall - wallBefore) + " ms past the true time, not about "
                    + PROBE_OFFSET_MS);
        }
        if (nano < nanoBefore || nano > nanoAfter) {
            wrong.add("its System.nanoTime was not the true monotonic clock");
        }
        if (waited < ClockProbe.WAIT_MS - 20 || waited > ClockProbe.WAIT_MS + 2_000) {
            wrong.add("Object.wait(" + ClockProbe.WAIT_MS + ") returned after " + waited + " ms");
        }
        return wrong.isEmpty() ? null : "a JVM under libfaketime (" + library + ") misbehaves: " + String.join("; ", wrong);
    }
}

package io.earthling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds used by one PostgreSQL server on this host, from {@code /proc/<pid>/stat}: user + system time of the
 * postmaster and its live children, plus the postmaster's reaped-children time, so backends that exited during a
 * window still count. Other PostgreSQL servers on the host (embedded ones in tests) are left out.
 */
final class PgCpu {
    private final long postmaster;
    private final double ticksPerSecond;

    private PgCpu(long postmaster, double ticksPerSecond) {
        this.postmaster = postmaster;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** From any backend's pid of the server; null when that process is not visible here (a remote server). */
    static PgCpu ofBackend(long backendPid) {
        String[] f = fields(backendPid);
        return f == null ? null : new PgCpu(Long.parseLong(f[1]), clockTicks());
    }

    /** Null when the postmaster is gone or unreadable. */
    Double seconds() {
        String[] pm = fields(postmaster);
        if (pm == null) {
            return null;
        }
        long ticks = Long.parseLong(pm[11]) + Long.parseLong(pm[12]) + Long.parseLong(pm[13]) + Long.parseLong(pm[14]);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            ticks += procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(n -> fields(Long.parseLong(n)))
                    .filter(f -> f != null && Long.parseLong(f[1]) == postmaster)
                    .mapToLong(f -> Long.parseLong(f[11]) + Long.parseLong(f[12])).sum();
        } catch (IOException e) {
            return null;
        }
        return ticks / ticksPerSecond;
    }

    /** Fields of /proc/pid/stat after the command name: [0] is state (field 3), [1] ppid, [11] utime, [12] stime. */
    private static String[] fields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null; // gone between listing and reading, or not Linux
        }
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Double.parseDouble(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}

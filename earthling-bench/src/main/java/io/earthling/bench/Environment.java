package io.earthling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/** Where and how a report was made: machine, OS, Java, PostgreSQL and its key settings, command line, date. */
record Environment(String date, String commandLine, int cores, String cpuModel, String memory, String os,
        String java, Map<String, String> postgres, boolean statementsAvailable, boolean pgCpuAvailable) {

    static Environment capture(String commandLine, PgStats stats) throws Exception {
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String os = osRelease() + " (" + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ")";
        return new Environment(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), commandLine,
                Runtime.getRuntime().availableProcessors(), procValue("/proc/cpuinfo", "model name"), memTotal(), os,
                java, stats.settings(), stats.statementsAvailable(), stats.cpuAvailable());
    }

    private static String memTotal() {
        String kb = procValue("/proc/meminfo", "MemTotal");
        try {
            return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1048576.0);
        } catch (NumberFormatException e) {
            return kb;
        }
    }

    private static String osRelease() {
        String name = procValue("/etc/os-release", "PRETTY_NAME");
        return name.replace("\"", "");
    }

    /** The value after the first "key:" or "key=" line of a file; "unknown" when absent. */
    private static String procValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    int sep = line.indexOf(line.contains(":") ? ':' : '=');
                    return line.substring(sep + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }
}

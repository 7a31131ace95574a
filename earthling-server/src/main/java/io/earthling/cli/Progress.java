package io.earthling.cli;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits for jobs to be final and tells how it goes: on a terminal a bar redrawn in place, otherwise a line every
 * {@value #LINE_SECONDS} s, each with the final count, how many failed (DEAD or CANCELLED) and the rate. The manager
 * is asked about the jobs not final yet, once a second, so each final job travels once.
 */
final class Progress {
    static final int LINE_SECONDS = 5;
    private static final int BAR = 30;

    private final int total;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private int succeeded;
    private int failed;

    /** {@code out}: where progress goes, null for none. */
    Progress(int total, PrintStream out, boolean terminal) {
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    List<JobView> await(EarthlingClient client, List<Long> ids, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        long nextLine = System.nanoTime() + Duration.ofSeconds(LINE_SECONDS).toNanos();
        Set<Long> open = new LinkedHashSet<>(ids);
        Map<Long, JobView> done = new HashMap<>();
        while (!open.isEmpty()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Duration step = Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos()));
            for (JobView j : client.await(List.copyOf(open), step)) {
                if (open.remove(j.id())) {
                    done.put(j.id(), j);
                    if (j.state() == JobState.SUCCEEDED) {
                        succeeded++;
                    } else {
                        failed++;
                    }
                }
            }
            if (out != null && terminal) {
                out.print("\r" + bar());
                out.flush();
            } else if (out != null && System.nanoTime() >= nextLine && !open.isEmpty()) {
                out.println("  " + line());
                nextLine = System.nanoTime() + Duration.ofSeconds(LINE_SECONDS).toNanos();
            }
        }
        if (out != null && terminal) {
            out.println();
        }
        List<JobView> inOrder = new ArrayList<>(done.size());
        ids.stream().map(done::get).filter(j -> j != null).forEach(inOrder::add);
        return inOrder;
    }

    /** E.g. {@code 412/1000 final (400 succeeded, 12 failed), 205 jobs/s, 8.1 s}. */
    String line() {
        int finished = succeeded + failed;
        return finished + "/" + total + " final (" + succeeded + " succeeded, " + failed + " failed), "
                + String.format(java.util.Locale.ROOT, "%.0f jobs/s, %s", finished / seconds(), elapsed());
    }

    String bar() {
        int finished = succeeded + failed;
        int filled = total == 0 ? BAR : (int) ((long) BAR * finished / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + line();
    }

    String elapsed() {
        return String.format(java.util.Locale.ROOT, "%.1f s", seconds());
    }

    private double seconds() {
        return Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    }
}

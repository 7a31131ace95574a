package io.earthling.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap after each collection, from a JVM's {@code -Xlog:gc} file ({@code ... Pause Young (Normal) ... 45M->12M(256M)
 * 3.4ms}). Each {@link #poll} reads what the JVM appended since the last one.
 */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** Collections since the last poll and the least heap any of them left; {@code minAfterBytes} -1 when none. */
    record Interval(int collections, long minAfterBytes, long lastAfterBytes) {
    }

    private final Path file;
    private long offset;
    private long lastAfter = -1;
    private final StringBuilder partial = new StringBuilder();

    GcLog(Path file) {
        this.file = file;
    }

    Interval poll() {
        int n = 0;
        long min = -1;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < offset) {
                offset = 0; // rotated or rewritten
            }
            f.seek(offset);
            byte[] buf = new byte[(int) Math.min(f.length() - offset, 1 << 24)];
            f.readFully(buf);
            offset += buf.length;
            partial.append(new String(buf, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Interval(0, -1, lastAfter); // not written yet
        }
        int end;
        while ((end = partial.indexOf("\n")) >= 0) {
            long after = afterBytes(partial.substring(0, end));
            partial.delete(0, end + 1);
            if (after >= 0) {
                n++;
                min = min < 0 ? after : Math.min(min, after);
                lastAfter = after;
            }
        }
        return new Interval(n, min, lastAfter);
    }

    /** The heap a collection's log line says it left, in bytes; -1 for other lines. */
    static long afterBytes(String line) {
        Matcher m = PAUSE.matcher(line);
        return m.find() ? Long.parseLong(m.group(3)) * unit(m.group(4)) : -1;
    }

    private static long unit(String u) {
        return switch (u) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            default -> 1L << 30;
        };
    }
}

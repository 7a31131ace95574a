package io.earthling.worker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.earthling.api.JobFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Feeds a process's stdin and drains stdout and stderr on pump threads, so no pipe can fill and block it. */
final class ProcessPipes {
    private static final int TAIL_LINES = 10;
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "earthling-command-pipe");
        t.setDaemon(true);
        return t;
    });

    /** A stderr line longer than this is cut into pieces of this length. */
    static final int MAX_LINE_CHARS = 8192;

    private final Future<byte[]> stdout;
    private final Future<String> stderrTail;
    private final java.util.concurrent.atomic.AtomicLong dropped;

    private ProcessPipes(Future<byte[]> stdout, Future<String> stderrTail, java.util.concurrent.atomic.AtomicLong dropped) {
        this.stdout = stdout;
        this.stderrTail = stderrTail;
        this.dropped = dropped;
    }

    /** Keeps at most {@code maxStdout} bytes of stdout and reads the rest to nowhere, counting it. */
    static ProcessPipes attach(Process process, byte[] stdin, Consumer<String> stderrLines, int maxStdout) {
        PUMPS.submit(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // The process exited or closed stdin without reading it all; that is its choice.
            }
        });
        java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
        Future<byte[]> out = PUMPS.submit(() -> {
            try (java.io.InputStream in = process.getInputStream()) {
                byte[] kept = in.readNBytes(maxStdout);
                byte[] rest = new byte[8192];
                for (int n = in.read(rest); n >= 0; n = in.read(rest)) {
                    dropped.addAndGet(n);
                }
                return kept;
            }
        });
        Future<String> err = PUMPS.submit(() -> {
            Deque<String> tail = new ArrayDeque<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), UTF_8))) {
                for (String line = readLine(r); line != null; line = readLine(r)) {
                    stderrLines.accept(line);
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
            return String.join("\n", tail);
        });
        return new ProcessPipes(out, err, dropped);
    }

    /** The next line, at most {@link #MAX_LINE_CHARS} long (a longer one comes in pieces); null at the end. */
    static String readLine(java.io.Reader r) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = r.read(); c >= 0; c = r.read()) {
            if (c == '\n') {
                return b.length() > 0 && b.charAt(b.length() - 1) == '\r' ? b.substring(0, b.length() - 1) : b.toString();
            }
            b.append((char) c);
            if (b.length() >= MAX_LINE_CHARS) {
                return b.toString();
            }
        }
        return b.isEmpty() ? null : b.toString();
    }

    /** Stdout bytes read beyond the cap and dropped. Known once {@link #stdout} returned. */
    long droppedBytes() {
        return dropped.get();
    }

    String stdout(long waitMs) throws InterruptedException {
        return new String(await(stdout, waitMs), UTF_8);
    }

    String stderrTail(long waitMs) throws InterruptedException {
        return await(stderrTail, waitMs);
    }

    private static <T> T await(Future<T> f, long waitMs) throws InterruptedException {
        try {
            return f.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new JobFailure("reading the command's output failed: " + e.getCause());
        } catch (TimeoutException e) {
            // A child the command left behind still holds the pipe open.
            throw new JobFailure("the command exited but its output stayed open for " + waitMs + " ms");
        }
    }
}

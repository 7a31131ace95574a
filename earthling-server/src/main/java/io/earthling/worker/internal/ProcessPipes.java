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

    private final Future<byte[]> stdout;
    private final Future<String> stderrTail;

    private ProcessPipes(Future<byte[]> stdout, Future<String> stderrTail) {
        this.stdout = stdout;
        this.stderrTail = stderrTail;
    }

    static ProcessPipes attach(Process process, byte[] stdin, Consumer<String> stderrLines) {
        PUMPS.submit(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // The process exited or closed stdin without reading it all; that is its choice.
            }
        });
        Future<byte[]> out = PUMPS.submit(() -> process.getInputStream().readAllBytes());
        Future<String> err = PUMPS.submit(() -> {
            Deque<String> tail = new ArrayDeque<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    stderrLines.accept(line);
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
            return String.join("\n", tail);
        });
        return new ProcessPipes(out, err);
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

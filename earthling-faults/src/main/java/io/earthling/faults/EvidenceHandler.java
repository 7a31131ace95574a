package io.earthling.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Job type {@code evidence}, payload {@code {"dir": "/abs", "sleepMs": n, "tag": "..."}}: each execution appends
 * {@code "<jobId> <attempt> <node> <worker> <pid> <startMs> <tag> <monotonicNs>"} to {@code dir/evidence-<pid>.log} (one file per worker
 * process, one {@code write} on an {@code O_APPEND} file), then sleeps. Runs in the assistants' worker processes
 * from a jar in their {@code handlers/} directory ({@link HandlerJar}); it must stay one class with no lambdas.
 * {@code startMs} is the node's wall clock, which a clock step moves; {@code monotonicNs} ({@code System.nanoTime},
 * on Linux one {@code CLOCK_MONOTONIC} for every process of the machine) is what the reconciliation times it by.
 */
public final class EvidenceHandler implements JobHandler {
    static final String TYPE = "evidence";

    private static final String NODE;
    private static final String WORKER;

    static {
        String address = "local";
        String port = "thread";
        for (String a : ProcessHandle.current().info().arguments().orElse(new String[0])) {
            if (a.startsWith("--address=")) {
                address = a.substring("--address=".length());
            } else if (a.startsWith("--port=")) {
                port = a.substring("--port=".length());
            }
        }
        NODE = address;
        WORKER = address + ":" + port;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String handle(JobContext context) throws Exception {
        JsonNode p = context.payloadJson();
        String dir = p.path("dir").asText("");
        if (!dir.startsWith("/")) {
            throw new JobFailure("evidence needs {\"dir\": \"/absolute/path\"}", false);
        }
        long pid = ProcessHandle.current().pid();
        String line = context.jobId() + " " + context.attempt() + " " + NODE + " " + WORKER + " " + pid + " "
                + System.currentTimeMillis() + " " + p.path("tag").asText("-") + " " + System.nanoTime() + "\n";
        try (FileChannel out = FileChannel.open(Path.of(dir, "evidence-" + pid + ".log"), CREATE, WRITE, APPEND)) {
            out.write(ByteBuffer.wrap(line.getBytes(UTF_8)));
        }
        long sleepMs = p.path("sleepMs").asLong(0);
        if (sleepMs > 0) {
            Thread.sleep(sleepMs);
        }
        return "{\"job\":" + context.jobId() + ",\"attempt\":" + context.attempt() + "}";
    }
}

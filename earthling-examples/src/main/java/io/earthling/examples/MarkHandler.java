package io.earthling.examples;

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
 * Appends {@code "<jobId> <attempt>"} to {@code {"file": "/abs/path"}}, then sleeps {@code "sleepMs"}: cluster
 * tests count the lines to see how often each job really ran. An action job: its result is not kept.
 */
public final class MarkHandler implements JobHandler {
    @Override
    public String type() {
        return "mark";
    }

    @Override
    public boolean keepsResult() {
        return false;
    }

    @Override
    public String handle(JobContext context) throws Exception {
        JsonNode payload = context.payloadJson();
        String file = payload.path("file").asText("");
        if (!file.startsWith("/")) {
            throw new JobFailure("mark needs {\"file\": \"/absolute/path\"}", false);
        }
        byte[] line = (context.jobId() + " " + context.attempt() + "\n").getBytes(UTF_8);
        // One write on an O_APPEND file, so lines from concurrent processes never interleave.
        try (FileChannel out = FileChannel.open(Path.of(file), CREATE, WRITE, APPEND)) {
            out.write(ByteBuffer.wrap(line));
        }
        long sleepMs = payload.path("sleepMs").asLong(0);
        if (sleepMs > 0) {
            Thread.sleep(sleepMs);
        }
        return "{\"marked\":" + context.jobId() + "}";
    }
}

package io.earthling.worker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an allow-listed executable: {@code {"command": "/bin/cat", "args": [...], "stdin": "..."}}; without
 * {@code "stdin"} the whole payload goes to standard input. Stdout is the result, stderr the attempt's log.
 */
public final class CommandHandler implements JobHandler {
    private static final long GRACE_MS = 2000;

    private final List<String> allowList;

    public CommandHandler(List<String> allowList) {
        this.allowList = List.copyOf(allowList);
    }

    @Override
    public String type() {
        return "command";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        JsonNode payload = context.payloadJson();
        Process process = start(argv(payload));
        try {
            byte[] stdin = (payload.has("stdin") ? payload.get("stdin").asText() : context.payload()).getBytes(UTF_8);
            ProcessPipes pipes = ProcessPipes.attach(process, stdin, context::log);
            int code = process.waitFor();
            String stdout = pipes.stdout(GRACE_MS);
            if (code != 0) {
                throw new JobFailure("command exited with " + code + stderrTail(pipes.stderrTail(GRACE_MS)));
            }
            return stdout.isBlank() ? null : Json.isValid(stdout) ? stdout : Json.write(stdout);
        } finally {
            stop(process);
        }
    }

    private List<String> argv(JsonNode payload) {
        String command = payload.path("command").asText("");
        if (command.isEmpty()) {
            throw new JobFailure("command needs {\"command\": \"/absolute/path\"} in its payload", false);
        }
        if (!allowList.contains(command)) {
            throw new JobFailure("command '" + command + "' is not allowed; add its exact path to worker.commands"
                    + " (allowed now: " + (allowList.isEmpty() ? "none" : String.join(", ", allowList)) + ")", false);
        }
        List<String> argv = new ArrayList<>(List.of(command));
        for (JsonNode arg : payload.path("args")) {
            if (arg.isContainerNode()) {
                throw new JobFailure("command args must be strings, got " + arg, false);
            }
            argv.add(arg.asText());
        }
        return argv;
    }

    private static Process start(List<String> argv) {
        try {
            return new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new JobFailure("cannot start " + argv.get(0) + ": " + e.getMessage(), false);
        }
    }

    private static String stderrTail(String tail) {
        return tail.isBlank() ? "" : ": " + tail.strip().replace('\n', ' ');
    }

    /** Ends the process and its children, forcibly if they ignore SIGTERM for the grace period. */
    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}

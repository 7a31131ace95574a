package io.earthling.worker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.JobContext;
import io.earthling.api.JobFailure;
import io.earthling.api.JobHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an allow-listed executable: {@code {"command": "/bin/cat", "args": [...], "stdin": "..."}}; without
 * {@code "stdin"} the whole payload goes to standard input. Stdout is the result, stderr the attempt's log.
 * Each job starts with a clean environment ({@link CommandEnvironment}: {@code worker.commandEnv}) in a
 * directory of its own, deleted after; stdout beyond {@link #MAX_OUTPUT_BYTES} is dropped with a note in the log,
 * as are stderr lines beyond the log's limit (issue 16, item 6).
 */
public final class CommandHandler implements JobHandler {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CommandHandler.class);
    private static final long GRACE_MS = 2000;
    /** Stdout kept as the result; the rest is read and dropped. */
    public static final int MAX_OUTPUT_BYTES = 1 << 20;

    private final List<String> allowList;
    private final List<String> environment;
    private final int maxOutputBytes;

    public CommandHandler(List<String> allowList) {
        this(allowList, CommandEnvironment.DEFAULT, MAX_OUTPUT_BYTES);
    }

    public CommandHandler(List<String> allowList, List<String> environment, int maxOutputBytes) {
        this.allowList = List.copyOf(allowList);
        this.environment = List.copyOf(environment);
        this.maxOutputBytes = maxOutputBytes;
    }

    @Override
    public String type() {
        return "command";
    }

    @Override
    public String handle(JobContext context) throws Exception {
        JsonNode payload = context.payloadJson();
        List<String> argv = argv(payload);
        Path dir = workDir(context.jobId());
        try {
            Process process = start(argv, dir);
            try {
                byte[] stdin = (payload.has("stdin") ? payload.get("stdin").asText() : context.payload()).getBytes(UTF_8);
                ProcessPipes pipes = ProcessPipes.attach(process, stdin, context::log, maxOutputBytes);
                int code = process.waitFor();
                String stdout = pipes.stdout(GRACE_MS);
                if (pipes.droppedBytes() > 0) {
                    context.log("[stdout truncated at " + maxOutputBytes + " bytes: " + pipes.droppedBytes()
                            + " more bytes dropped]");
                }
                if (code != 0) {
                    throw new JobFailure("command exited with " + code + stderrTail(pipes.stderrTail(GRACE_MS)));
                }
                return stdout.isBlank() ? null : Json.isValid(stdout) ? stdout : Json.write(stdout);
            } finally {
                stop(process);
            }
        } finally {
            delete(dir);
        }
    }

    /** The job's own working directory, readable by this user only. */
    private static Path workDir(long jobId) {
        try {
            return Files.createTempDirectory("earthling-job-" + jobId + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            throw new JobFailure("cannot create the job's working directory: " + e.getMessage());
        }
    }

    private static void delete(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("Could not delete the working directory {} of a command job: {}", dir, e.toString());
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

    private Process start(List<String> argv, Path dir) {
        try {
            ProcessBuilder b = new ProcessBuilder(argv).directory(dir.toFile());
            Map<String, String> env = b.environment();
            Map<String, String> clean = CommandEnvironment.of(env, environment, dir.toString());
            env.clear();
            env.putAll(clean);
            return b.start();
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

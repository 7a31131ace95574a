package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submits one job, --count copies of it, or the jobs of a JSON-lines --file, in batches of " + SubmitCommand.CHUNK + ".")
final class SubmitCommand implements Callable<Integer> {
    static final int CHUNK = 1000;

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE", description = "the job type, e.g. echo, sleep, command")
    String type;

    @Option(names = {"-f", "--file"}, paramLabel = "JOBS.jsonl", description = {"one JSON object a line: type, payload,"
            + " queue, priority, maxAttempts, delay (ms), idempotencyKey;", "a bad line is refused with its number before"
            + " anything is submitted"})
    Path file;

    @Option(names = {"-k", "--idempotency-key"}, paramLabel = "KEY", description = {"submitting again with the same key"
            + " in the queue returns the first job's id and creates nothing;", "the same key with another type or payload"
            + " is an error"})
    String idempotencyKey;

    @Option(names = "--delay", paramLabel = "MS", description = "run no earlier than this many ms from now")
    long delayMs;

    @Option(names = "--at", paramLabel = "INSTANT", description = "run no earlier than this time, e.g. 2026-12-01T10:00:00Z"
            + " (turned into a delay by this machine's clock)")
    String at;

    @Option(names = {"-p", "--payload"}, paramLabel = "JSON|@FILE", description = "payload JSON, or @file to read it")
    String payload = "{}";

    @Mixin
    QueueOptions where = new QueueOptions();

    @Option(names = "--job-timeout", paramLabel = "MS", description = "stop an attempt that runs longer (it fails and is retried)")
    long jobTimeoutMs;

    @Option(names = "--concurrency-key", paramLabel = "KEY",
            description = "at most --concurrency-limit jobs with this key run at once (e.g. a customer id)")
    String concurrencyKey;

    @Option(names = "--concurrency-limit", paramLabel = "N", description = "with --concurrency-key (default 1)")
    int concurrencyLimit = 1;

    @Option(names = {"-n", "--count"}, description = "submit this many copies (in batches of " + SubmitCommand.CHUNK + ".")
    int count = 1;

    @Option(names = {"-w", "--wait"}, description = "wait until the jobs are final; exit 1 unless all SUCCEEDED")
    boolean await;

    @Option(names = "--timeout", description = "with --wait: give up after this many seconds (default 600)")
    long timeoutSeconds = 600;

    @Override
    public Integer call() {
        List<JobSpec> jobs = jobs();
        int count = jobs.size();
        return client.with(c -> {
            List<Long> ids = new ArrayList<>(count);
            for (int done = 0; done < count; done += CHUNK) {
                ids.addAll(c.submitAll(jobs.subList(done, Math.min(count, done + CHUNK))));
            }
            System.out.println(count == 1 ? "submitted job " + ids.get(0)
                    : "submitted " + count + " jobs, ids " + ids.get(0) + ".." + ids.get(ids.size() - 1));
            if (!await) {
                return 0;
            }
            List<JobView> done = c.await(ids, Duration.ofSeconds(timeoutSeconds));
            Map<JobState, Integer> byState = new TreeMap<>();
            done.forEach(j -> byState.merge(j.state(), 1, Integer::sum));
            if (count == 1 && !done.isEmpty()) {
                JobView j = done.get(0);
                System.out.println(j.state() + (j.result() != null ? " " + j.result() : "")
                        + (j.error() != null ? " error: " + j.error() : ""));
            } else {
                System.out.println("final: " + byState + (done.size() < ids.size()
                        ? ", not final after " + timeoutSeconds + " s: " + (ids.size() - done.size()) : ""));
            }
            return done.size() == ids.size() && byState.keySet().equals(java.util.Set.of(JobState.SUCCEEDED)) ? 0 : 1;
        });
    }

    private List<JobSpec> jobs() {
        if (file != null) {
            if (type != null || count != 1 || idempotencyKey != null) {
                throw new EarthlingException("--file: the file names each job; give no TYPE, --count or --idempotency-key");
            }
            List<JobSpec> jobs = JobLines.read(file);
            if (jobs.isEmpty()) {
                throw new EarthlingException("--file: " + file + " holds no jobs");
            }
            return jobs;
        }
        if (type == null) {
            throw new EarthlingException("TYPE: missing (or give --file)");
        }
        if (count < 1) {
            throw new EarthlingException("--count: must be at least 1, got " + count);
        }
        if (idempotencyKey != null && count > 1) {
            throw new EarthlingException("--idempotency-key: one key makes one job; it cannot go with --count " + count);
        }
        JobSpec spec = JobSpec.of(type, readPayload()).withQueue(where.queue).withPriority(where.priority).withMaxAttempts(where.maxAttempts)
                .withTimeout(Duration.ofMillis(jobTimeoutMs)).withIdempotencyKey(idempotencyKey).withDelay(delay());
        if (concurrencyKey != null) {
            spec = spec.withConcurrencyKey(concurrencyKey, concurrencyLimit);
        }
        return java.util.Collections.nCopies(count, spec);
    }

    private Duration delay() {
        if (at == null) {
            if (delayMs < 0) {
                throw new EarthlingException("--delay: must not be negative, got " + delayMs);
            }
            return Duration.ofMillis(delayMs);
        }
        if (delayMs != 0) {
            throw new EarthlingException("--at: give --at or --delay, not both");
        }
        try {
            // A time already past runs at once.
            return Duration.ofMillis(Math.max(0, java.time.Instant.parse(at).toEpochMilli() - System.currentTimeMillis()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new EarthlingException("--at: not an ISO-8601 instant such as 2026-12-01T10:00:00Z: \"" + at + "\"");
        }
    }

    private String readPayload() {
        if (!payload.startsWith("@")) {
            return payload;
        }
        try {
            return Files.readString(Path.of(payload.substring(1)));
        } catch (IOException e) {
            throw new EarthlingException("--payload: cannot read " + payload.substring(1) + ": " + e.getMessage());
        }
    }
}

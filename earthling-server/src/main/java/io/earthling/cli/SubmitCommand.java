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

@Command(name = "submit", mixinStandardHelpOptions = true, description = "Submits one job, or --count copies in batches.")
final class SubmitCommand implements Callable<Integer> {
    private static final int CHUNK = 1000;

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "TYPE", description = "the job type, e.g. echo, sleep, command")
    String type;

    @Option(names = {"-p", "--payload"}, paramLabel = "JSON|@FILE", description = "payload JSON, or @file to read it")
    String payload = "{}";

    @Option(names = {"-q", "--queue"}, description = "queue (default: default)")
    String queue;

    @Option(names = "--priority", description = "higher runs first within the queue")
    int priority;

    @Option(names = "--max-attempts", description = "attempts before the job is DEAD (default 3)")
    int maxAttempts;

    @Option(names = "--job-timeout", paramLabel = "MS", description = "stop an attempt that runs longer (it fails and is retried)")
    long jobTimeoutMs;

    @Option(names = "--concurrency-key", paramLabel = "KEY",
            description = "at most --concurrency-limit jobs with this key run at once (e.g. a customer id)")
    String concurrencyKey;

    @Option(names = "--concurrency-limit", paramLabel = "N", description = "with --concurrency-key (default 1)")
    int concurrencyLimit = 1;

    @Option(names = {"-n", "--count"}, description = "submit this many copies (in batches of " + CHUNK + ")")
    int count = 1;

    @Option(names = {"-w", "--wait"}, description = "wait until the jobs are final; exit 1 unless all SUCCEEDED")
    boolean await;

    @Option(names = "--timeout", description = "with --wait: give up after this many seconds (default 600)")
    long timeoutSeconds = 600;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new EarthlingException("--count: must be at least 1, got " + count);
        }
        JobSpec base = JobSpec.of(type, readPayload()).withQueue(queue).withPriority(priority).withMaxAttempts(maxAttempts)
                .withTimeout(java.time.Duration.ofMillis(jobTimeoutMs));
        JobSpec spec = concurrencyKey == null ? base : base.withConcurrencyKey(concurrencyKey, concurrencyLimit);
        return client.with(c -> {
            List<Long> ids = new ArrayList<>(count);
            for (int done = 0; done < count; done += CHUNK) {
                ids.addAll(c.submitAll(java.util.Collections.nCopies(Math.min(CHUNK, count - done), spec)));
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

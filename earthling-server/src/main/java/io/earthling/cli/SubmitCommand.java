package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.Submitted;
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

    @Option(names = {"-p", "--payload"}, paramLabel = JsonArgument.LABEL,
            description = "the payload: JSON, @FILE to read a file, - to read standard input (default {})")
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

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "submit this many copies (in batches of " + SubmitCommand.CHUNK + ")")
    int count = 1;

    @Option(names = {"-w", "--wait"}, description = {"wait until the jobs are final; exit 1 unless all SUCCEEDED.",
            "Progress goes to standard error: a bar on a terminal, else a line every " + Progress.LINE_SECONDS + " s"})
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "with --wait: give up after this many seconds (default 600)")
    long timeoutSeconds = 600;

    @Option(names = "--quiet", description = "print only the new jobs' ids, one a line (with --wait: no progress,"
            + " no result; the exit code tells)")
    boolean quiet;

    @Option(names = "--full", description = "with --wait: print a long result whole (it is clipped at "
            + OutputOptions.CLIP + " characters)")
    boolean full;

    @Override
    public Integer call() {
        List<JobLines.Line> lines = jobs();
        List<JobSpec> parsed = lines.stream().map(JobLines.Line::job).toList();
        int count = parsed.size();
        return client.with(c -> {
            // --at becomes a delay by this machine's clock: reckoned again just before sending, not at start-up.
            List<JobSpec> jobs = at == null ? parsed : parsed.stream().map(j -> j.withDelay(delay())).toList();
            List<Submitted> submitted = new ArrayList<>(count);
            for (int from = 0; from < count; from += CHUNK) {
                try {
                    submitted.addAll(c.submitEach(jobs.subList(from, Math.min(count, from + CHUNK))));
                } catch (EarthlingException e) {
                    throw refused(e, lines, from, submitted);
                }
            }
            List<Long> ids = submitted.stream().map(Submitted::id).distinct().toList();
            if (quiet) {
                ids.forEach(System.out::println);
            } else {
                System.out.println(describe(submitted, lines));
            }
            pausedWarning(c, jobs).ifPresent(System.err::println); // standard error: --quiet's output stays ids
            if (!await) {
                return 0;
            }
            Progress progress = new Progress(ids.size(), quiet ? null : System.err, System.console() != null);
            List<JobView> done = progress.await(c, ids, Duration.ofSeconds(timeoutSeconds));
            Map<JobState, Integer> byState = new TreeMap<>();
            done.forEach(j -> byState.merge(j.state(), 1, Integer::sum));
            if (!quiet && ids.size() == 1 && !done.isEmpty()) {
                JobView j = done.get(0);
                OutputOptions clip = new OutputOptions();
                clip.full = full;
                System.out.println(j.state() + (j.result() != null ? " " + clip.clip(j.result()) : "")
                        + (j.error() != null ? " error: " + clip.clip(j.error()) : ""));
            } else if (!quiet) {
                System.out.println("final: " + byState + " in " + progress.elapsed() + (done.size() < ids.size()
                        ? "; not final after " + timeoutSeconds + " s: " + (ids.size() - done.size()) : ""));
            }
            return done.size() == ids.size() && byState.keySet().equals(java.util.Set.of(JobState.SUCCEEDED)) ? 0 : 1;
        });
    }

    /** A warning when a queue the jobs went to is paused: they wait, and nothing else would say so. */
    static java.util.Optional<String> pausedWarning(io.earthling.api.EarthlingClient c, List<JobSpec> jobs) {
        java.util.Set<String> used = new java.util.HashSet<>();
        jobs.forEach(j -> used.add(j.queue()));
        List<String> paused;
        try {
            paused = c.queues().stream().filter(q -> q.paused() && used.contains(q.name()))
                    .map(io.earthling.api.QueueView::name).sorted().toList();
        } catch (EarthlingException e) {
            return java.util.Optional.empty(); // only a warning: the jobs are in
        }
        if (paused.isEmpty()) {
            return java.util.Optional.empty();
        }
        String names = String.join(", ", paused);
        return java.util.Optional.of("warning: queue " + names + (paused.size() == 1 ? " is" : " are")
                + " paused: the jobs wait until `earthling queues resume " + paused.get(0) + "`");
    }

    /** "submitted job 7", or that the idempotency key named a job stored before, so nothing new was made. */
    private String describe(List<Submitted> submitted, List<JobLines.Line> lines) {
        List<Long> created = submitted.stream().filter(Submitted::created).map(Submitted::id).toList();
        if (submitted.size() == 1) {
            Submitted one = submitted.get(0);
            return one.created() ? "submitted job " + one.id() : "job " + one.id() + " already exists for idempotency key "
                    + lines.get(0).job().idempotencyKey() + "; nothing new submitted";
        }
        String made = created.isEmpty() ? "submitted no new jobs"
                : "submitted " + created.size() + (created.size() == 1 ? " job, id " + created.get(0)
                : " jobs, ids " + created.get(0) + ".." + created.get(created.size() - 1));
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < submitted.size(); i++) {
            if (!submitted.get(i).created()) {
                existing.add((file != null ? "line " + lines.get(i).number() + ": " : "") + "job " + submitted.get(i).id()
                        + " (key " + lines.get(i).job().idempotencyKey() + ")");
            }
        }
        return existing.isEmpty() ? made : made + "; " + existing.size() + " already existed for their idempotency keys: "
                + String.join(", ", existing.size() <= 10 ? existing : existing.subList(0, 10)) + (existing.size() > 10 ? ", ..." : "");
    }

    /**
     * The manager refused a batch: the error names the job by its place in the batch ("job 4: ..."); say which line of
     * the file that is, and what was submitted before it.
     */
    private EarthlingException refused(EarthlingException e, List<JobLines.Line> lines, int from, List<Submitted> before) {
        String message = e.getMessage();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^job (\\d+): (.*)$", java.util.regex.Pattern.DOTALL)
                .matcher(message);
        if (file != null && m.matches() && from + Integer.parseInt(m.group(1)) < lines.size()) {
            message = file + ":" + lines.get(from + Integer.parseInt(m.group(1))).number() + ": " + m.group(2);
        } else if (file == null && lines.size() > 1 && m.matches()) {
            message = m.group(2);
        }
        if (before.isEmpty()) {
            return new EarthlingException(message + "; nothing submitted", e);
        }
        return new EarthlingException(message + "; the jobs before it were submitted ("
                + (file != null ? "lines up to " + lines.get(from - 1).number() + ", " : "") + "ids "
                + before.get(0).id() + ".." + before.get(before.size() - 1).id() + "), none from there on", e);
    }

    private List<JobLines.Line> jobs() {
        if (file != null) {
            if (type != null || count != 1 || idempotencyKey != null) {
                throw new EarthlingException("--file: the file names each job; give no TYPE, --count or --idempotency-key");
            }
            List<JobLines.Line> jobs = JobLines.lines(file);
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
        JobSpec spec = JobSpec.of(type, JsonArgument.read("--payload", payload)).withQueue(where.queue).withPriority(where.priority).withMaxAttempts(where.maxAttempts)
                .withTimeout(Duration.ofMillis(jobTimeoutMs)).withIdempotencyKey(idempotencyKey).withDelay(delay());
        if (concurrencyKey != null) {
            spec = spec.withConcurrencyKey(concurrencyKey, concurrencyLimit);
        }
        return java.util.Collections.nCopies(count, new JobLines.Line(0, spec));
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
}

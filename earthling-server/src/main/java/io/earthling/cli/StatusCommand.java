package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobEventView;
import io.earthling.api.JobView;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows one job: state, attempts, node, result or error, and every failed attempt's error.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    // The events that end an attempt badly, or put a job back; each carries the attempt's error or the reason.
    private static final Set<String> ERRORS = Set.of("FAILED", "DEAD", "NODE_LOST", "NODE_LEFT", "RECOVERED", "RETRIED");

    @Mixin
    OutputOptions out;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
        JobView j = client.with(c -> c.get(id)).orElseThrow(() -> new EarthlingException("no job with id " + id));
        List<JobEventView> errors = client.with(c -> c.events(id)).stream().filter(e -> ERRORS.contains(e.kind())).toList();
        if (out.json) {
            java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
            all.put("job", j);
            all.put("errors", errors);
            OutputOptions.printJson(all);
            return 0;
        }
        System.out.printf("job %d%n  type      %s%n  queue     %s%n  state     %s%n  attempts  %d of %d%n", j.id(),
                j.type(), j.queue(), j.state(), j.attempts(), j.maxAttempts());
        if (j.waiting() != null) {
            line("waiting", j.waiting().reason() + ": " + j.waiting().detail());
        }
        line("node", j.node());
        line("worker", j.worker());
        line("created", j.createdAt());
        line("started", j.startedAt());
        line("finished", j.finishedAt());
        line("payload", out.clip(j.payload()));
        line("result", out.clip(j.result()));
        line("error", out.clip(j.error()));
        if (!errors.isEmpty()) {
            System.out.println("  errors and retries, oldest first:");
            errors.forEach(e -> System.out.printf("    %s %-9s %s%n", e.at(), e.kind(), e.detail() == null ? "" : out.clip(e.detail())));
        }
        return 0;
    }

    private static void line(String label, Object value) {
        if (value != null) {
            System.out.printf("  %-9s %s%n", label, value);
        }
    }
}

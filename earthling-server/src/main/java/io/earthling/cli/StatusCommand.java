package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows one job: state, attempts, node, result or error.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
        JobView j = client.with(c -> c.get(id)).orElseThrow(() -> new EarthlingException("no job with id " + id));
        System.out.printf("job %d%n  type      %s%n  queue     %s%n  state     %s%n  attempts  %d of %d%n", j.id(),
                j.type(), j.queue(), j.state(), j.attempts(), j.maxAttempts());
        line("node", j.node());
        line("worker", j.worker());
        line("created", j.createdAt());
        line("started", j.startedAt());
        line("finished", j.finishedAt());
        line("payload", j.payload());
        line("result", j.result());
        line("error", j.error());
        return 0;
    }

    private static void line(String label, Object value) {
        if (value != null) {
            System.out.printf("  %-9s %s%n", label, value);
        }
    }
}

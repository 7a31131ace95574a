package io.earthling.cli;

import io.earthling.api.JobView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "run-now", mixinStandardHelpOptions = true,
        description = {"Makes a delayed job (submitted with --delay or --at, or waiting out a retry's backoff) due now.",
            "It then waits its turn like any due job: a paused queue, a concurrency key or a rate limit still hold it.",
            "Refused for a job that is not PENDING or is due already."})
final class RunNowCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ID", description = "a delayed PENDING job")
    long id;

    @Override
    public Integer call() {
        JobView j = client.with(c -> c.runNow(id));
        String waiting = JobsCommand.waiting(j);
        System.out.println("job " + j.id() + " is due now" + (waiting == null ? "" : " (" + waiting + ")"));
        return 0;
    }
}

package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.LogChunkView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Shows what a job's handler logged (JobContext.log, a command's stderr), attempt by attempt.",
                "The manager keeps at most 64 KiB per attempt."})
final class LogsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(names = {"-f", "--follow"}, description = "keep printing output as it comes, until the job is final")
    boolean follow;

    @Override
    public Integer call() {
        if (!follow) {
            List<LogChunkView> attempts = client.with(c -> c.logs(id));
            attempts.forEach(LogsCommand::print);
            if (attempts.isEmpty()) {
                System.err.println("earthling: " + noLog(client.with(c -> c.get(id))
                        .orElseThrow(() -> new EarthlingException("no job with id " + id))));
            }
            return 0;
        }
        int[] attempt = {0};
        String state = client.with(c -> c.followLogs(id, chunk -> {
            if (chunk.end()) {
                return;
            }
            if (chunk.attempt() != attempt[0]) {
                System.out.println("── attempt " + chunk.attempt() + " ──");
                attempt[0] = chunk.attempt();
            }
            System.out.print(chunk.text());
            System.out.flush();
        }));
        System.err.println("earthling: job " + id + " is " + state);
        return 0;
    }

    /** Why there is nothing to show, as the job's state tells it. */
    static String noLog(JobView j) {
        if (j.state().isFinal()) {
            return "job " + j.id() + " is " + j.state() + " and logged nothing" + (j.attempts() == 0
                    ? " (it never ran)" : " in " + j.attempts() + (j.attempts() == 1 ? " attempt" : " attempts"))
                    + (j.error() != null ? "; its error: " + j.error() : "");
        }
        return j.attempts() == 0 && j.state() == JobState.PENDING ? "job " + j.id() + " is PENDING: it has not run yet"
                : "job " + j.id() + " is " + j.state() + " and has logged nothing yet (--follow prints output as it comes)";
    }

    private static void print(LogChunkView a) {
        System.out.println("── attempt " + a.attempt() + " ──");
        System.out.print(a.text());
    }
}

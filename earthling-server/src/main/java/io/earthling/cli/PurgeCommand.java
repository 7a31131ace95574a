package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.config.Durations;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "purge", mixinStandardHelpOptions = true,
        description = {"Deletes finished jobs that ended longer ago than --older-than, for good, as retention does.",
            "Each goes with its split children and pipeline stages, its events and its logs.",
            "Retention (config key retention) does this by itself; purge catches up at once, for example after",
            "retention was lowered. A job that is not finished, or part of a tree that is not, is never deleted."})
final class PurgeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--older-than", required = true, paramLabel = "AGE",
            description = "how long ago the jobs finished: 90s, 30m, 24h, 14d")
    String olderThan;

    @Option(names = "--state", split = ",", paramLabel = "STATE",
            description = "succeeded, dead or cancelled (comma-separated; default: all three)")
    List<String> states = List.of();

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "only this queue (default: every queue)")
    String queue;

    @Override
    public Integer call() {
        long ms = Durations.parseMs(olderThan);
        if (ms <= 0) {
            throw new EarthlingException("--older-than: not an age like 90s, 30m, 24h or 14d: \"" + olderThan + "\"");
        }
        Set<JobState> chosen = EnumSet.noneOf(JobState.class);
        for (String s : states) {
            JobState state = switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "succeeded" -> JobState.SUCCEEDED;
                case "dead" -> JobState.DEAD;
                case "cancelled", "canceled" -> JobState.CANCELLED;
                default -> throw new EarthlingException("--state: \"" + s + "\" is not succeeded, dead or cancelled");
            };
            chosen.add(state);
        }
        long deleted = client.with(c -> c.purge(Duration.ofMillis(ms), chosen, queue));
        System.out.println(deleted == 0 ? "no finished jobs older than " + olderThan + " to delete"
                : "deleted " + deleted + (deleted == 1 ? " job" : " jobs") + " that finished more than " + olderThan
                        + " ago, with their events and logs");
        return 0;
    }
}

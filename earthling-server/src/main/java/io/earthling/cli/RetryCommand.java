package io.earthling.cli;

import io.earthling.api.EarthlingException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Brings DEAD jobs back to PENDING with a fresh attempt budget; they run again.",
            "Only DEAD jobs: a CANCELLED job was stopped on purpose, so submit it again instead.",
            "With IDs, nothing is retried unless every one is DEAD."})
final class RetryCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "DEAD jobs to retry")
    List<Long> ids = List.of();

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "retry every DEAD job of this queue")
    String queue;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "with --queue: only DEAD jobs of this type")
    String type;

    @Override
    public Integer call() {
        requireIdsOrQueue("retry", ids, queue, type);
        List<Long> retried = client.with(c -> queue != null ? c.retryDead(queue, type) : c.retry(ids));
        System.out.println(retried.isEmpty() ? "no DEAD jobs to retry"
                : "retried " + retried.size() + (retried.size() == 1 ? " job: " : " jobs: ") + abbreviate(retried));
        return 0;
    }

    /** {@code verb} takes job IDs or {@code --queue Q [--type T]}, not both, not neither. */
    static void requireIdsOrQueue(String verb, List<Long> ids, String queue, String type) {
        if (ids.isEmpty() == (queue == null)) {
            throw new EarthlingException(verb + ": give job IDs or --queue Q [--type T], not "
                    + (ids.isEmpty() ? "neither" : "both"));
        }
        if (type != null && queue == null) {
            throw new EarthlingException("--type: only with --queue");
        }
    }

    static String abbreviate(List<Long> ids) {
        return ids.size() <= 20 ? ids.toString() : ids.subList(0, 20) + " and " + (ids.size() - 20) + " more";
    }
}

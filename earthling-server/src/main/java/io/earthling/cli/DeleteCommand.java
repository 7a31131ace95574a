package io.earthling.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Deletes finished jobs with their events and logs, for good.",
            "With IDs: jobs that are SUCCEEDED, DEAD or CANCELLED; nothing is deleted unless every one is.",
            "With --queue: every DEAD job of that queue (of one --type).",
            "A job that is not final is never deleted; cancel it first."})
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "finished jobs to delete")
    List<Long> ids = List.of();

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "delete every DEAD job of this queue")
    String queue;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "with --queue: only DEAD jobs of this type")
    String type;

    @Override
    public Integer call() {
        RetryCommand.requireIdsOrQueue("delete", ids, queue, type);
        List<Long> deleted = client.with(c -> queue != null ? c.deleteDead(queue, type) : c.delete(ids));
        String none = queue != null ? "no DEAD jobs to delete in queue " + queue : "no jobs deleted";
        System.out.println(deleted.isEmpty() ? none
                : "deleted " + deleted.size() + (deleted.size() == 1 ? " job: " : " jobs: ") + RetryCommand.abbreviate(deleted));
        if (!ids.isEmpty() && deleted.size() < ids.size()) {
            System.out.println("kept " + (ids.size() - deleted.size()) + ": a split's parent still waits for them");
        }
        return 0;
    }
}

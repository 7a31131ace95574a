package io.earthling.cli;

import io.earthling.api.QueueView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "queues", mixinStandardHelpOptions = true,
        description = {"Shows every queue (share, limits, depth, running, health), or pauses or resumes one.",
                "  earthling queues", "  earthling queues pause NAME    its jobs wait; running ones go on",
                "  earthling queues pause --create NAME    pause a queue before its first job",
                "  earthling queues resume NAME"})
final class QueuesCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    OutputOptions out;

    @Parameters(index = "0", arity = "0..1", paramLabel = "pause|resume", description = "what to do with NAME")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the queue")
    String name;

    @picocli.CommandLine.Option(names = "--create", description = "pause a queue no job has used yet (an unknown name is"
            + " refused otherwise, as it is most likely a typo)")
    boolean create;

    @Override
    public Integer call() {
        if (action == null) {
            List<QueueView> queues = client.with(c -> c.queues());
            if (out.json) {
                OutputOptions.printJson(queues);
            } else {
                print(queues);
            }
            return 0;
        }
        if (!action.equals("pause") && !action.equals("resume") || name == null) {
            System.err.println("usage: earthling queues [pause|resume NAME]");
            return 2;
        }
        QueueView q = client.with(c -> c.pause(name, action.equals("pause"), create));
        System.out.println("queue " + q.name() + (q.paused() ? " paused: " + q.ready() + " ready jobs wait, "
                + q.running() + " running go on" : " resumed: " + q.ready() + " ready jobs may start"));
        return 0;
    }

    private static void print(List<QueueView> queues) {
        Table t = new Table("QUEUE", ">WEIGHT", ">LIMIT", ">RATE/S", "STATE", ">READY", ">DELAYED", ">RUNNING", ">HEALTH",
                "OLDEST READY");
        Instant now = Instant.now();
        for (QueueView q : queues) {
            t.row(q.name(), q.weight(), q.concurrency() == 0 ? "-" : String.valueOf(q.concurrency()),
                    q.rate() == 0 ? "-" : String.format("%.0f", q.rate()), q.paused() ? "PAUSED" : "active", q.ready(),
                    q.delayed(), q.running(), String.format("%.0f%%", q.health() * 100),
                    q.oldestReady() == null ? "-" : Duration.between(q.oldestReady(), now).toSeconds() + " s ago");
        }
        t.print();
    }
}

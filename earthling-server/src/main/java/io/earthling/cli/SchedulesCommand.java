package io.earthling.cli;

import io.earthling.api.ScheduleSpec;
import io.earthling.api.ScheduleView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "Lists, adds and removes recurring (cron) jobs. With no subcommand: list.",
        subcommands = {SchedulesCommand.Add.class, SchedulesCommand.Remove.class})
final class SchedulesCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    OutputOptions out;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the schedules with their next tick.")
    int list(@Mixin ClientOptions options, @Mixin OutputOptions output) {
        return print(options.with(c -> c.schedules()), output);
    }

    @Override
    public Integer call() {
        return print(client.with(c -> c.schedules()), out);
    }

    private static int print(List<ScheduleView> all, OutputOptions out) {
        if (out.json) {
            OutputOptions.printJson(all);
            return 0;
        }
        if (all.isEmpty()) {
            System.out.println("no schedules");
            return 0;
        }
        Table t = new Table("NAME", "CRON", "ZONE", "TYPE", "QUEUE", "FROM", "NEXT");
        for (ScheduleView v : all) {
            ScheduleSpec s = v.spec();
            t.row(s.name(), s.cron(), s.timeZone(), s.type(), s.queue(), v.origin(), v.nextTick());
        }
        t.print();
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a schedule; its first tick is the first after now. Each tick creates one job.")
    static final class Add implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "CRON", description = "5 fields, e.g. '*/5 * * * *' (quote it)")
        String cron;

        @Parameters(index = "2", paramLabel = "TYPE", description = "the job type each tick submits")
        String type;

        @Option(names = {"-p", "--payload"}, paramLabel = JsonArgument.LABEL,
                description = "the job's payload: JSON, @FILE or - for standard input (default {})")
        String payload = "{}";

        @Option(names = {"-z", "--time-zone"}, paramLabel = "ZONE", description = "read CRON in this zone (default UTC)")
        String zone;

        @Mixin
        QueueOptions where = new QueueOptions();

        @Override
        public Integer call() {
            ScheduleSpec spec = ScheduleSpec.of(name, cron, type).withPayload(JsonArgument.read("--payload", payload)).withTimeZone(zone)
                    .withQueue(where.queue).withPriority(where.priority).withMaxAttempts(where.maxAttempts);
            ScheduleView v = client.with(c -> c.createSchedule(spec));
            System.out.println("added schedule " + name + "; next tick " + v.nextTick());
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Removes a schedule added with `schedules add` (those of the config file live in the file).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            client.with(c -> c.deleteSchedule(name));
            System.out.println("removed schedule " + name);
            return 0;
        }
    }
}

package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobView;
import io.earthling.api.PipelineView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import io.earthling.api.JobState;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Runs a pipeline of the config's `pipelines:` section and shows each stage's progress.",
        subcommands = {PipelineCommand.Run.class, PipelineCommand.StatusOf.class, PipelineCommand.CancelRun.class})
final class PipelineCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("usage: earthling pipeline run NAME --input JSON --config F | pipeline status RUN | pipeline cancel RUN");
        return 0;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Starts a run; prints its id (with --wait: each stage, then the result).")
    static final class Run implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = {"-i", "--input"}, paramLabel = JsonArgument.LABEL,
                description = "the first stage's payload: JSON, @FILE or - for standard input (default {})")
        String input = "{}";

        @Option(names = "--wait", description = "wait for the run to end")
        boolean await;

        @Option(names = "--quiet", description = "print only the run's id (with --wait: no progress, no result; the exit code tells)")
        boolean quiet;

        @Override
        public Integer call() {
            List<String> stages = client.config.load().pipelines().get(name);
            if (stages == null && client.config.file == null) {
                throw new EarthlingException("pipeline " + name + ": pipelines are named in a config file; give --config FILE"
                        + " holding e.g. `pipelines: { " + name + ": { stages: [fanout, double-sum] } }`");
            }
            if (stages == null) {
                throw new EarthlingException("pipeline " + name + ": not in the pipelines of " + client.config.file
                        + " (known: " + String.join(", ", client.config.load().pipelines().keySet()) + ")");
            }
            return client.with(c -> {
                long run = c.runPipeline(name, stages, JsonArgument.read("--input", input));
                System.out.println(quiet ? String.valueOf(run) : "run " + run + " of pipeline " + name + ": "
                        + String.join(" -> ", stages));
                if (!await) {
                    return 0;
                }
                List<JobView> done = List.of();
                while (done.isEmpty()) {
                    done = c.await(List.of(run), Duration.ofSeconds(2));
                    if (!quiet) {
                        print(c.pipelineStatus(run));
                    }
                }
                if (quiet) {
                    return done.get(0).state() == JobState.SUCCEEDED ? 0 : 1;
                }
                System.out.println(done.get(0).result() == null ? done.get(0).error() : done.get(0).result());
                return done.get(0).state() == JobState.SUCCEEDED ? 0 : 1;
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each stage of a run: state, children.")
    static final class StatusOf implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Mixin
        OutputOptions out;

        @Parameters(index = "0", paramLabel = "RUN")
        long run;

        @Override
        public Integer call() {
            return client.with(c -> {
                PipelineView v = c.pipelineStatus(run);
                if (out.json) {
                    OutputOptions.printJson(v);
                } else {
                    print(v);
                }
                return 0;
            });
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancels a run and every job below it (running ones finish unheeded).")
    static final class CancelRun implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "RUN")
        long run;

        @Override
        public Integer call() {
            return client.with(c -> {
                print(c.cancelPipeline(run));
                return 0;
            });
        }
    }

    static void print(PipelineView v) {
        System.out.printf("run %d (%s): %s%n", v.run().id(), v.pipeline(), v.run().state());
        int i = 1;
        for (PipelineView.Stage s : v.stages()) {
            String children = s.children() == 0 ? "" : "  " + s.childrenFinal() + "/" + s.children() + " children final";
            System.out.printf("  %d %-20s %-12s%s%s%n", i++, s.type(), s.state(), children,
                    s.error() == null ? "" : "  " + s.error());
        }
    }
}

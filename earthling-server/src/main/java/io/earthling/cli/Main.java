package io.earthling.cli;

import io.earthling.api.EarthlingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code earthling}: one jar, every role and the client commands. */
@Command(name = "earthling", mixinStandardHelpOptions = true, version = "earthling 0.1.0",
        description = "Distributed job processing: one manager pushes jobs to idle worker processes on assistants.",
        subcommands = {RunCommand.class, ManagerCommand.class, AssistantCommand.class, WorkerCommand.class,
                SubmitCommand.class, StatusCommand.class, LogsCommand.class, JobsCommand.class, NodesCommand.class, CancelCommand.class, DrainCommand.class,
                QueuesCommand.class, RetryCommand.class, RunNowCommand.class, DeleteCommand.class, PurgeCommand.class, SchedulesCommand.class,
                PipelineCommand.class, DemoCommand.class, CertsCommand.class, TokensCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        Logging.setUp(args);
        if (args.length > 0 && args[0].equals("worker")) {
            System.exit(runWorker(args));
        }
        System.exit(commandLine().execute(args));
    }

    private static int runWorker(String[] args) {
        try {
            WorkerCommand worker = WorkerCommand.parse(args);
            return worker != null ? worker.call() : commandLine().execute(args);
        } catch (Exception e) {
            System.err.println("earthling worker: " + e.getMessage());
            return 1;
        }
    }

    public static CommandLine commandLine() {
        // @FILE is ours to read (--payload @job.json), not picocli's argument file.
        return new CommandLine(new Main()).setExpandAtFiles(false).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof EarthlingException) {
                cmd.getErr().println("earthling: " + e.getMessage());
                return 2;
            }
            if (System.getenv("EARTHLING_DEBUG") != null) {
                throw e;
            }
            cmd.getErr().println("earthling: " + cmd.getCommandName() + " failed: " + e
                    + " (EARTHLING_DEBUG=1 prints the stack trace)");
            return 1;
        });
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}

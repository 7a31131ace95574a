package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.worker.WorkerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "worker", hidden = true, mixinStandardHelpOptions = true,
        description = "A worker process; started by its assistant, exits when the assistant goes away.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--address", paramLabel = "ADDRESS", required = true)
    String address;

    @Option(names = "--port", paramLabel = "PORT", required = true)
    int port;

    @Option(names = "--handlers", paramLabel = "DIR")
    Path handlers;

    @Option(names = "--allow", paramLabel = "EXECUTABLE", description = "an executable the command handler may run")
    List<String> allow = new ArrayList<>();

    @Option(names = "--command-env", paramLabel = "NAME", description = "a variable a command job may see (worker.commandEnv)")
    List<String> commandEnv = new ArrayList<>();

    @Option(names = "--train", description = "serve one job to itself and exit (makes the class archive)")
    boolean train;

    @Option(names = "--no-examples", description = "Leave out the jar's example handlers (worker.examples: false).")
    boolean noExamples;

    /**
     * The assistant's own command line, {@code worker --key=value ...}, read without picocli: a worker starts on
     * every restart, and building the model of every command would cost a third of its start-up.
     */
    static WorkerCommand parse(String[] args) {
        WorkerCommand w = new WorkerCommand();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--address=")) {
                w.address = value;
            } else if (a.startsWith("--port=")) {
                w.port = parsePort(value);
            } else if (a.startsWith("--handlers=")) {
                w.handlers = Path.of(value);
            } else if (a.startsWith("--allow=")) {
                w.allow.add(value);
            } else if (a.startsWith("--command-env=")) {
                w.commandEnv.add(value);
            } else if (a.equals("--train")) {
                w.train = true;
            } else if (a.equals("--no-examples")) {
                w.noExamples = true;
            } else {
                return null;
            }
        }
        return w.train || w.address != null ? w : null;
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new EarthlingException("--port: not a number: " + value);
        }
    }

    /** Without any {@code --command-env}: the default of {@code worker.commandEnv}. */
    private List<String> env() {
        return commandEnv.isEmpty() ? io.earthling.config.WorkerConfig.DEFAULT_COMMAND_ENV : commandEnv;
    }

    @Override
    public Integer call() throws Exception {
        if (train) {
            WorkerProcess.train(handlers, allow, env(), !noExamples);
            return 0;
        }
        if (address == null) {
            throw new EarthlingException("--address is required");
        }
        WorkerProcess.run(address, port, handlers, allow, env(), !noExamples,
                io.earthling.worker.WorkerSecret.of(System.getenv(io.earthling.worker.WorkerSecret.ENV)));
        return 0;
    }
}

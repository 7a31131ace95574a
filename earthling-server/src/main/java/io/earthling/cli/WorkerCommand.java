package io.earthling.cli;

import io.earthling.worker.WorkerProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "worker", hidden = true, mixinStandardHelpOptions = true,
        description = "A worker process; started by its assistant, exits when the assistant goes away.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--address", required = true)
    String address;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--handlers")
    Path handlers;

    @Option(names = "--allow", description = "an executable the command handler may run")
    List<String> allow = List.of();

    @Override
    public Integer call() throws Exception {
        WorkerProcess.run(address, port, handlers, allow);
        return 0;
    }
}

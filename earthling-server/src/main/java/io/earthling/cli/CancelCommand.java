package io.earthling.cli;

import io.earthling.api.JobView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a job that is not final yet.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
        JobView j = client.with(c -> c.cancel(id));
        System.out.println("job " + j.id() + " " + j.state());
        return 0;
    }
}

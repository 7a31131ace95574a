package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists jobs, newest first.")
final class JobsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-s", "--state"}, paramLabel = "STATE", description = "only jobs in this state: PENDING, ASSIGNED, RUNNING, WAITING, GATHERING, SUCCEEDED,"
            + " DEAD or CANCELLED")
    String state;

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "only jobs of this queue")
    String queue;

    @Option(names = "--search", paramLabel = "TEXT", description = "only jobs whose payload contains TEXT (exact,"
            + " case-sensitive; among the 100,000 newest jobs)")
    String search;

    @Mixin
    OutputOptions out;

    @Option(names = {"-l", "--limit"}, paramLabel = "N", description = "at most this many (default 20, at most 1000)")
    int limit = 20;

    @Option(names = "--all", description = "also the jobs a pipeline run makes for itself (inner pipeline runs,"
            + " pipeline-pass); see a run with `earthling pipeline status RUN`")
    boolean all;

    @Override
    public Integer call() {
        JobState s = null;
        if (state != null) {
            try {
                s = JobState.valueOf(state.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new EarthlingException("--state: unknown \"" + state + "\" (one of " + List.of(JobState.values()) + ")");
            }
        }
        JobState filter = s;
        List<JobView> jobs = client.with(c -> c.list(filter, queue, search, limit, all));
        if (out.json) {
            OutputOptions.printJson(jobs);
            return 0;
        }
        if (jobs.isEmpty()) {
            System.out.println((filter == null ? "no jobs" : "no " + filter + " jobs")
                    + (queue == null ? "" : " in queue " + queue)
                    + (search == null ? "" : " with \"" + search + "\" in their payload"));
            return 0;
        }
        Table t = new Table(">ID", "TYPE", "QUEUE", "STATE", ">ATTEMPTS", "WORKER", "WAITING");
        jobs.forEach(j -> t.row(j.id(), j.type(), j.queue(), j.state(), j.attempts(), j.worker(), waiting(j)));
        t.print();
        return 0;
    }

    /** Why a job waits, short: the reason and, where the wait ends at a known time, that time (UTC). */
    static String waiting(JobView j) {
        if (j.waiting() == null) {
            return null;
        }
        return j.waiting().until() == null ? j.waiting().reason()
                : j.waiting().reason() + " until " + j.waiting().until().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}

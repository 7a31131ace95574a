package io.earthling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * CPU-bound jobs ({@code cpuMs} of CPU each) on 1, 2, 4, 8 worker slots. The ideal is every slot busy all the
 * time, but no more slots than cores can be busy at once: min(W, cores) × 1000 / cpuMs jobs/s.
 */
final class Scaling {
    record Result(String contender, int workers, int jobs, double seconds, double jobsPerSecond, double idealPerSecond,
            double efficiency, boolean complete) {
    }

    static double ideal(int workers, int cores, int cpuMs) {
        return Math.min(workers, cores) * 1000.0 / cpuMs;
    }

    static List<Result> run(Stage stage, String id, Supplier<Contender> factory, List<Integer> workers, int jobs,
            int batch, int cpuMs, int cores, long timeoutSeconds) throws Exception {
        List<Result> out = new ArrayList<>();
        for (int w : workers) {
            // Every worker runs a few jobs unmeasured first: fresh worker JVMs compile the handler's code meanwhile.
            int warmUp = 4 * w;
            try (Stage.Run run = stage.start(id, factory, w, new BenchJob(cpuMs), jobs + warmUp)) {
                Throughput.warmUp(run.contender(), run.recorder(), jobs, warmUp, batch, timeoutSeconds);
                Throughput.Result t = Throughput.run(run.contender(), run.recorder(), jobs, warmUp, batch, timeoutSeconds);
                double ideal = ideal(w, cores, cpuMs);
                out.add(new Result(t.contender(), w, jobs, t.seconds(), t.jobsPerSecond(), ideal,
                        t.jobsPerSecond() / ideal, t.complete()));
            }
        }
        return out;
    }
}

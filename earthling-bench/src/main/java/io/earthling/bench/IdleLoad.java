package io.earthling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What an idle cluster costs the database: the contender started with W worker slots and no jobs, left to settle,
 * then measured over a window. Transactions and statements per second, and PostgreSQL's CPU as % of one core.
 */
final class IdleLoad {
    record Result(String contender, int workers, double seconds, double xactsPerSecond, Double statementsPerSecond,
            Double pgCpuPercent) {
    }

    static List<Result> run(Stage stage, PgStats stats, String id, Supplier<Contender> factory, List<Integer> workers,
            double settleSeconds, double windowSeconds) throws Exception {
        List<Result> out = new ArrayList<>();
        for (int w : workers) {
            try (Stage.Run run = stage.start(id, factory, w, new BenchJob(0), 0)) {
                // settle past start-up work (schema migration, workers registering) and its delayed stats flush
                PgStats.sleepSeconds(settleSeconds);
                PgStats.Snapshot a = stats.snapshot(run.database());
                PgStats.sleepSeconds(windowSeconds);
                PgStats.Window win = PgStats.Window.between(a, stats.snapshot(run.database()));
                double s = win.seconds();
                out.add(new Result(run.contender().name(), w, s, win.xacts() / s,
                        win.statements() == null ? null : win.statements() / s,
                        win.cpuSeconds() == null ? null : 100 * win.cpuSeconds() / s));
            }
        }
        return out;
    }
}

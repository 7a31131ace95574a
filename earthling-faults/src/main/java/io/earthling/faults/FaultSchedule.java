package io.earthling.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seed's faults: every kind once, in an order and with targets and durations drawn from the seed, then more
 * drawn at random while the run lasts. One fault at a time, each followed by a quiet gap of 1.5-3.5 s (after a
 * leader fault, 2 s more: the new leader's reconcile grace), so each one's effect can be told apart. The same seed
 * always gives the same list.
 */
public final class FaultSchedule {
    static final long WARM_UP_MS = 3_000;

    private FaultSchedule() {
    }

    public static List<Fault> generate(long seed, long runMs, long leaseTtlMs, int assistants, int workersEach) {
        Random r = new Random(seed);
        List<FaultKind> order = new ArrayList<>(List.of(FaultKind.values()));
        Collections.shuffle(order, r);
        List<Fault> out = new ArrayList<>();
        long t = WARM_UP_MS;
        int i = 0;
        while (true) {
            boolean mandatory = i < order.size();
            FaultKind kind = mandatory ? order.get(i) : FaultKind.values()[r.nextInt(FaultKind.values().length)];
            long duration = kind.durationMs(r, leaseTtlMs);
            if (!mandatory && t + duration > runMs) {
                break;
            }
            int target = switch (kind) {
                case ASSISTANT_KILL, ASSISTANT_PAUSE -> r.nextInt(assistants);
                case WORKER_KILL -> r.nextInt(assistants) * 10 + r.nextInt(workersEach);
                case CLOCK_STEP -> r.nextBoolean() ? Fault.LEADER : r.nextInt(assistants);
                default -> 0;
            };
            long step = kind == FaultKind.CLOCK_STEP ? (3 + r.nextInt(6)) * 1_000L * (r.nextBoolean() ? 1 : -1) : 0;
            out.add(new Fault(t, kind, target, duration, step));
            t += duration + 1_500 + r.nextInt(2_001) + (kind.onLeader() ? 2_000 : 0);
            i++;
        }
        return List.copyOf(out);
    }

    /** When the last fault of the list has ended. */
    public static long endMs(List<Fault> faults) {
        return faults.stream().mapToLong(f -> f.atMs() + f.durationMs()).max().orElse(0);
    }
}

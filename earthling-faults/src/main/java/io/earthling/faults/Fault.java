package io.earthling.faults;

/**
 * One planned fault: at {@code atMs} after the workload starts, {@code kind} on {@code target} (an assistant index
 * for node faults, {@code target * 10 + worker} for worker kills; leader faults hit whichever manager leads then; a
 * clock step hits assistant {@code target} or, when it is {@link #LEADER}, the lease holder), lasting
 * {@code durationMs}. {@code stepMs}: how far a clock step moves the wall clock (0 for other kinds).
 */
public record Fault(long atMs, FaultKind kind, int target, long durationMs, long stepMs) {
    /** The target of a clock step on whichever manager holds the lease then. */
    public static final int LEADER = -1;

    @Override
    public String toString() {
        String on = kind == FaultKind.CLOCK_STEP ? (target == LEADER ? "leader" : "assistant " + target)
                + String.format(" wall clock %+d s", stepMs / 1000) : "target " + target;
        return String.format("%6.1f s %-26s %s for %.1f s", atMs / 1000.0, kind, on, durationMs / 1000.0);
    }
}

package io.earthling.faults;

/**
 * One planned fault: at {@code atMs} after the workload starts, {@code kind} on {@code target} (an assistant index
 * for node faults, {@code target * 10 + worker} for worker kills; leader faults hit whichever manager leads then),
 * lasting {@code durationMs}.
 */
public record Fault(long atMs, FaultKind kind, int target, long durationMs) {
    @Override
    public String toString() {
        return String.format("%6.1f s %-26s target %d for %.1f s", atMs / 1000.0, kind, target, durationMs / 1000.0);
    }
}

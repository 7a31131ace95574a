package io.earthling.api;

import java.time.Instant;

/** A schedule as the manager holds it: where it came from ("config" or "api"), its last and next tick. */
public record ScheduleView(ScheduleSpec spec, String origin, Instant lastTick, Instant nextTick) {
}

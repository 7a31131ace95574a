package io.earthling.api;

import java.time.Instant;

/** One line of a job's log: an assignment, a start, a failed attempt and its error, a retry. */
public record JobEventView(Instant at, String kind, int attempt, String node, String worker, String detail) {
}

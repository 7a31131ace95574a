package io.earthling.manager.internal.dispatch;

import io.earthling.core.ReadyJob;

/**
 * A job handed to a node (ASSIGNED or RUNNING; its ASSIGNED may still be on its way to the DB). {@code confirmed}
 * is false for jobs a new leader loaded from the DB until their node reports them; {@code running} says whether
 * RUNNING was (or is being) written.
 */
public final class InFlight {
    final ReadyJob job;
    final int attempt;
    String node;
    boolean running;
    boolean confirmed;
    long deadlineMs;

    public InFlight(ReadyJob job, int attempt, String node, boolean running, boolean confirmed) {
        this.job = job;
        this.attempt = attempt;
        this.node = node;
        this.running = running;
        this.confirmed = confirmed;
    }
}

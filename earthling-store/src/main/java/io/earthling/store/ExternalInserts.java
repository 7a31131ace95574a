package io.earthling.store;

import java.time.Duration;

/**
 * Tells the manager that other systems inserted rows into {@code jobs}. PostgreSQL: a trigger NOTIFYs and this
 * LISTENs on one connection. H2: no signal, the manager's sweep finds them.
 */
public interface ExternalInserts extends AutoCloseable {

    /** Blocks up to {@code timeout}; true if a notification arrived (the caller then sweeps). */
    boolean await(Duration timeout) throws InterruptedException;

    @Override
    void close();
}

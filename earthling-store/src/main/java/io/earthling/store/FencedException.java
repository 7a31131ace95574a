package io.earthling.store;

import io.earthling.api.EarthlingException;

/** A write by a manager that is no longer the leader (its epoch is not the lease's epoch). */
public class FencedException extends EarthlingException {
    public FencedException(long epoch, long current) {
        super("write refused: this manager's epoch " + epoch + " is not the leader epoch " + current);
    }
}

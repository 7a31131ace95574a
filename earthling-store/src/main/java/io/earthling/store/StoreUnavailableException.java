package io.earthling.store;

import io.earthling.api.EarthlingException;

/** The database cannot be reached or refused the connection; the message is one line for an operator. */
public class StoreUnavailableException extends EarthlingException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

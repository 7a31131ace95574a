package io.earthling.api;

/** The one unchecked root of every error Earthling raises on purpose. */
public class EarthlingException extends RuntimeException {
    public EarthlingException(String message) {
        super(message);
    }

    public EarthlingException(String message, Throwable cause) {
        super(message, cause);
    }
}

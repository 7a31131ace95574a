package io.earthling.worker;

/** How an attempt ended: a JSON result (or null) when ok, else an error; {@code log} is the attempt's log text. */
public record Outcome(boolean ok, String result, String error, boolean retryable, boolean cancelled, String log) {

    public static Outcome succeeded(String result, String log) {
        return new Outcome(true, result, null, false, false, log);
    }

    public static Outcome failed(String error, boolean retryable, String log) {
        return new Outcome(false, null, error, retryable, false, log);
    }

    public static Outcome cancelled(String log) {
        return new Outcome(false, null, "cancelled", false, true, log);
    }
}

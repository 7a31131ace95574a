package io.earthling.worker;

/**
 * How an attempt ended: a JSON result (or null) when ok, else an error; {@code log} is the attempt's log text;
 * {@code split}: the result is a split plan the handler made with {@link io.earthling.api.Split#toResult()}.
 */
public record Outcome(boolean ok, String result, String error, boolean retryable, boolean cancelled, String log,
                      boolean split) {

    public Outcome(boolean ok, String result, String error, boolean retryable, boolean cancelled, String log) {
        this(ok, result, error, retryable, cancelled, log, false);
    }

    public static Outcome succeeded(String result, String log) {
        return new Outcome(true, result, null, false, false, log);
    }

    /** A split plan: the manager stores its children instead of a result. */
    public static Outcome split(String plan, String log) {
        return new Outcome(true, plan, null, false, false, log, true);
    }

    public static Outcome failed(String error, boolean retryable, String log) {
        return new Outcome(false, null, error, retryable, false, log);
    }

    public static Outcome cancelled(String log) {
        return new Outcome(false, null, "cancelled", false, true, log);
    }
}

package io.earthling.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in config files and on the command line: {@code 90s}, {@code 30m}, {@code 24h}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * A whole number with a unit ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}), or {@code 0}, in ms; -1 if
     * {@code text} is not one.
     */
    public static long parseMs(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || (m.group(2) == null && !m.group(1).matches("0+"))) {
            return -1;
        }
        long unit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 1L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }
}

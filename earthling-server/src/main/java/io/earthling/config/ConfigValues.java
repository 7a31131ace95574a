package io.earthling.config;

import java.util.ArrayList;
import java.util.List;

/** Scalar conversions with a default for an absent key and a path-naming error for a bad one. */
final class ConfigValues {
    private ConfigValues() {
    }

    static String string(ConfigNode n, String def) {
        if (n.isAbsent()) {
            return def;
        }
        String s = n.text().trim();
        if (s.isEmpty()) {
            throw n.fail("must not be empty");
        }
        return s;
    }

    static long number(ConfigNode n, long def, long min, long max) {
        if (n.isAbsent()) {
            return def;
        }
        long value;
        try {
            value = Long.parseLong(n.text().trim());
        } catch (NumberFormatException e) {
            throw n.fail("not a whole number: " + n.describe());
        }
        if (value < min || value > max) {
            throw n.fail(max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                    ? "must be at least " + min + ", got " + value
                    : "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /**
     * A duration in ms written as a whole number with a unit, {@code 90s}, {@code 30m}, {@code 24h}, {@code 14d}
     * ({@code ms} too), or {@code 0}.
     */
    static long duration(ConfigNode n, long def) {
        if (n.isAbsent()) {
            return def;
        }
        String s = n.text().trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)?").matcher(s);
        if (!m.matches() || (m.group(2) == null && !m.group(1).matches("0+"))) {
            throw n.fail("not a duration like 90s, 30m, 24h or 14d (0 for none): " + n.describe());
        }
        long v = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 1L;
        };
        return v * unit;
    }

    static int integer(ConfigNode n, int def, int min) {
        return (int) number(n, def, min, Integer.MAX_VALUE);
    }

    static int port(ConfigNode n, int def) {
        if (n.isAbsent()) {
            return def;
        }
        int value;
        try {
            value = Integer.parseInt(n.text().trim());
        } catch (NumberFormatException e) {
            throw n.fail("not a port number: " + n.describe());
        }
        if (value < 1 || value > 65535) {
            throw n.fail("not a port number: " + value + " (must be 1..65535)");
        }
        return value;
    }

    static List<String> strings(ConfigNode n, List<String> def) {
        if (n.isAbsent()) {
            return def;
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode e : n.elements()) {
            if (e.isAbsent()) {
                throw e.fail("must not be empty");
            }
            out.add(string(e, null));
        }
        return out;
    }
}

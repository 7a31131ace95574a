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

    /** A duration ({@link Durations#parseMs}) in ms. */
    static long duration(ConfigNode n, long def) {
        if (n.isAbsent()) {
            return def;
        }
        long ms = Durations.parseMs(n.text().trim());
        if (ms < 0) {
            throw n.fail("not a duration like 90s, 30m, 24h or 14d (0 for none): " + n.describe());
        }
        return ms;
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

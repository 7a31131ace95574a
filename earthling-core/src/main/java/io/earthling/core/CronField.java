package io.earthling.core;

import io.earthling.api.EarthlingException;
import java.util.BitSet;

/** One field of a cron expression as the set of values it matches. */
final class CronField {
    private CronField() {
    }

    static BitSet parse(String name, String text, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(name, part.substring(slash + 1), 1, max, null);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                int dash = range.indexOf('-');
                from = number(name, range.substring(0, dash), min, max, names);
                to = number(name, range.substring(dash + 1), min, max, names);
                if (to < from) {
                    throw new EarthlingException("cron: " + name + ": range " + range + " runs backwards");
                }
            } else {
                from = number(name, range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String name, String text, int min, int max, String[] names) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    // Month names count from 1, day names from 0 (SUN).
                    return min == 1 ? i + 1 : i;
                }
            }
        }
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new EarthlingException("cron: " + name + ": " + v + " is outside " + min + "-" + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new EarthlingException("cron: " + name + ": not a number: \"" + text + "\"");
        }
    }
}

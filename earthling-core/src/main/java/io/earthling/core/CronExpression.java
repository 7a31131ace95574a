package io.earthling.core;

import io.earthling.api.EarthlingException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A standard 5-field cron expression (minute hour day-of-month month day-of-week) read in a time zone. Fields take
 * {@code *}, numbers, ranges {@code a-b}, lists {@code a,b}, steps {@code * /n} and {@code a-b/n}, month names
 * JAN-DEC and day names SUN-SAT (0 and 7 are Sunday). As in Vixie cron, when both day fields are restricted a day
 * matching either one fires. Ticks are the instants whose local wall time matches.
 */
public final class CronExpression {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    // A tick search that finds nothing within this many years means the expression never fires (e.g. 30 FEB).
    private static final int SEARCH_YEARS = 5;

    private final String text;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronExpression(String text, ZoneId zone, String[] f) {
        this.text = text;
        this.zone = zone;
        this.minutes = CronField.parse("minute", f[0], 0, 59, null);
        this.hours = CronField.parse("hour", f[1], 0, 23, null);
        this.daysOfMonth = CronField.parse("day of month", f[2], 1, 31, null);
        this.months = CronField.parse("month", f[3], 1, 12, MONTHS);
        BitSet dow = CronField.parse("day of week", f[4], 0, 7, DAYS);
        if (dow.get(7)) {
            dow.set(0);
        }
        this.daysOfWeek = dow;
        this.anyDayOfMonth = f[2].equals("*") || f[2].equals("?");
        this.anyDayOfWeek = f[4].equals("*") || f[4].equals("?");
    }

    /** Parses {@code text}; a bad expression or zone is an {@link EarthlingException} naming the field. */
    public static CronExpression parse(String text, String zone) {
        String[] f = text == null ? new String[0] : text.trim().split("\\s+");
        if (f.length != 5) {
            throw new EarthlingException("cron: expected 5 fields (minute hour day-of-month month day-of-week), got "
                    + f.length + " in \"" + text + "\"");
        }
        ZoneId z;
        try {
            z = ZoneId.of(zone == null || zone.isBlank() ? "UTC" : zone);
        } catch (java.time.DateTimeException e) {
            throw new EarthlingException("zone: unknown time zone \"" + zone + "\" (e.g. UTC, Europe/Berlin)");
        }
        CronExpression c = new CronExpression(text.trim(), z, f);
        if (c.next(Instant.EPOCH.plus(365 * 50, ChronoUnit.DAYS)) == null) {
            throw new EarthlingException("cron: \"" + text + "\" never fires");
        }
        return c;
    }

    /** The first tick strictly after {@code after}, or null if there is none within a few years. */
    public Instant next(Instant after) {
        ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + SEARCH_YEARS;
        while (t.getYear() <= lastYear) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t.toInstant();
            }
        }
        return null;
    }

    /** The latest tick in {@code (after, atOrBefore]}, or null if none: the one a misfire catches up with. */
    public Instant latest(Instant after, Instant atOrBefore) {
        // After a long downtime start the search a bounded time back: only the latest missed tick matters.
        Instant from = after.isBefore(atOrBefore.minus(400, ChronoUnit.DAYS)) ? atOrBefore.minus(400, ChronoUnit.DAYS) : after;
        Instant found = null;
        for (Instant t = next(from); t != null && !t.isAfter(atOrBefore); t = next(t)) {
            found = t;
        }
        return found;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return text + " (" + zone + ")";
    }
}

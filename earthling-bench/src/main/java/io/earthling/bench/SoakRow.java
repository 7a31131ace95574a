package io.earthling.bench;

import java.util.List;
import java.util.Locale;

/**
 * One 10 s sample of a soak: the interval's rates and pickup, the processes' heaps at its end, and the job tables'
 * rows, sizes (table, indexes and TOAST) and dead tuples. Pickup is of the jobs submitted in the interval.
 * Heap "after GC" is the least heap any collection in the interval left (the last known when none ran).
 */
record SoakRow(double tSeconds, double load1, double submittedPerS, double completedPerS, long backlog,
        double pickupP50Ms, double pickupP99Ms, double pickupMaxMs, double managerHeapMb, double managerAfterGcMb,
        double assistantHeapMb, double assistantAfterGcMb, double workersHeapMb,
        long jobsRows, long eventsRows, long logsRows, double jobsMb, double eventsMb, double logsMb,
        long jobsDead, long eventsDead, long logsDead, long overdueRows) {

    static final List<String> COLUMNS = List.of("t_s", "load1", "submitted_per_s", "completed_per_s", "backlog",
            "pickup_p50_ms", "pickup_p99_ms", "pickup_max_ms", "manager_heap_mb", "manager_after_gc_mb",
            "assistant_heap_mb", "assistant_after_gc_mb", "workers_heap_mb", "jobs_rows", "job_events_rows",
            "job_logs_rows", "jobs_mb", "job_events_mb", "job_logs_mb", "jobs_dead_tup", "job_events_dead_tup",
            "job_logs_dead_tup", "overdue_rows");

    static String header() {
        return String.join(",", COLUMNS);
    }

    String csv() {
        return String.format(Locale.ROOT, "%.0f,%.2f,%.1f,%.1f,%d,%.2f,%.2f,%.2f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,"
                + "%.2f,%.2f,%.2f,%d,%d,%d,%d", tSeconds, load1, submittedPerS, completedPerS, backlog, pickupP50Ms,
                pickupP99Ms, pickupMaxMs, managerHeapMb, managerAfterGcMb, assistantHeapMb, assistantAfterGcMb,
                workersHeapMb, jobsRows, eventsRows, logsRows, jobsMb, eventsMb, logsMb, jobsDead, eventsDead, logsDead,
                overdueRows);
    }

    static SoakRow parse(String line) {
        String[] f = line.split(",");
        if (f.length != COLUMNS.size()) {
            throw new IllegalArgumentException("soak CSV: expected " + COLUMNS.size() + " fields, got " + f.length
                    + ": " + line);
        }
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = Double.parseDouble(f[i]);
        }
        return new SoakRow(d[0], d[1], d[2], d[3], (long) d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
                (long) d[13], (long) d[14], (long) d[15], d[16], d[17], d[18], (long) d[19], (long) d[20],
                (long) d[21], (long) d[22]);
    }

    SoakRow withPickup(double p50, double p99, double max) {
        return new SoakRow(tSeconds, load1, submittedPerS, completedPerS, backlog, p50, p99, max, managerHeapMb,
                managerAfterGcMb, assistantHeapMb, assistantAfterGcMb, workersHeapMb, jobsRows, eventsRows, logsRows,
                jobsMb, eventsMb, logsMb, jobsDead, eventsDead, logsDead, overdueRows);
    }
}

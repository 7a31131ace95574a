package io.earthling.api;

/**
 * A recurring job: a 5-field cron expression read in {@code timeZone} (null = UTC), and the job each tick
 * creates. Build with {@link #of(String, String, String)} and the {@code with...} methods.
 */
public record ScheduleSpec(String name, String cron, String timeZone, String type, String payload, String queue,
                           int priority, int maxAttempts) {

    public static ScheduleSpec of(String name, String cron, String type) {
        return new ScheduleSpec(name, cron, null, type, null, null, 0, 0);
    }

    public ScheduleSpec withTimeZone(String zone) {
        return new ScheduleSpec(name, cron, zone, type, payload, queue, priority, maxAttempts);
    }

    public ScheduleSpec withPayload(String json) {
        return new ScheduleSpec(name, cron, timeZone, type, json, queue, priority, maxAttempts);
    }

    public ScheduleSpec withQueue(String q) {
        return new ScheduleSpec(name, cron, timeZone, type, payload, q, priority, maxAttempts);
    }

    public ScheduleSpec withPriority(int p) {
        return new ScheduleSpec(name, cron, timeZone, type, payload, queue, p, maxAttempts);
    }

    public ScheduleSpec withMaxAttempts(int n) {
        return new ScheduleSpec(name, cron, timeZone, type, payload, queue, priority, n);
    }
}

package io.earthling.store;

/**
 * A row of {@code schedules}: a cron expression in a time zone and the job each tick creates. {@code origin} is
 * "config" or "api"; {@code lastTickMs} is the latest tick already handled (epoch millis).
 */
public record StoredSchedule(String name, String cron, String timeZone, String queue, String type, String payload,
                             int priority, int maxAttempts, String origin, long lastTickMs) {

    public StoredSchedule withLastTick(long ms) {
        return new StoredSchedule(name, cron, timeZone, queue, type, payload, priority, maxAttempts, origin, ms);
    }

    /** True if both define the same job at the same times (the last tick aside). */
    public boolean sameDefinition(StoredSchedule o) {
        return name.equals(o.name) && cron.equals(o.cron) && timeZone.equals(o.timeZone) && queue.equals(o.queue)
                && type.equals(o.type) && payload.equals(o.payload) && priority == o.priority
                && maxAttempts == o.maxAttempts && origin.equals(o.origin);
    }
}

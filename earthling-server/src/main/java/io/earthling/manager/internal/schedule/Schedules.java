package io.earthling.manager.internal.schedule;

import com.google.protobuf.ByteString;
import io.earthling.api.EarthlingException;
import io.earthling.core.CronExpression;
import io.earthling.manager.internal.intake.Intake;
import io.earthling.protocol.jobs.ScheduleInfo;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.store.StoredSchedule;
import java.time.Instant;
import java.util.regex.Pattern;

/** Schedules at the API's edge: checks a new one like a submission of its job, and converts rows to messages. */
public final class Schedules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    private Schedules() {
    }

    public static StoredSchedule validate(ScheduleInfo r, Intake.TypeCheck knownTypes, Intake intake) {
        if (!NAME.matcher(r.getName()).matches()) {
            throw new EarthlingException("name: not a valid schedule name: \"" + r.getName()
                    + "\" (letters, digits, _ . -; at most 100)");
        }
        String zone = r.getTimeZone().isEmpty() ? "UTC" : r.getTimeZone();
        CronExpression.parse(r.getCron(), zone);
        // The job each tick creates must pass intake as a submission would.
        var job = intake.validate(SubmitRequest.newBuilder().setType(r.getType()).setPayload(r.getPayload())
                .setQueue(r.getQueue()).setPriority(r.getPriority()).setMaxAttempts(r.getMaxAttempts()).build(),
                knownTypes, 0);
        return new StoredSchedule(r.getName(), r.getCron().trim(), zone, job.queue(), job.type(), job.payload(),
                job.priority(), job.maxAttempts(), "api", 0);
    }

    public static ScheduleInfo info(StoredSchedule s) {
        Instant next = ScheduleTicker.nextTick(s);
        return ScheduleInfo.newBuilder().setName(s.name()).setCron(s.cron()).setTimeZone(s.timeZone())
                .setType(s.type()).setPayload(ByteString.copyFromUtf8(s.payload())).setQueue(s.queue())
                .setPriority(s.priority()).setMaxAttempts(s.maxAttempts()).setOrigin(s.origin())
                .setLastTickMs(s.lastTickMs()).setNextTickMs(next == null ? 0 : next.toEpochMilli()).build();
    }
}

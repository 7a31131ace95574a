package io.earthling.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every contender by its command-line id, in report order. */
final class Contenders {
    private Contenders() {
    }

    static Map<String, Supplier<Contender>> all() {
        Map<String, Supplier<Contender>> m = new LinkedHashMap<>();
        m.put("earthling", () -> new EarthlingContender(1, false));
        m.put("earthling-prefetch-16", () -> new EarthlingContender(16, false));
        m.put("earthling-loopback", () -> new EarthlingContender(1, true));
        m.put("earthling-prefetch-16-loopback", () -> new EarthlingContender(16, true));
        m.put("earthling-split", () -> EarthlingContender.split(false));
        m.put("earthling-split-tls", () -> EarthlingContender.split(true));
        m.put("polling-100ms", () -> new PollingContender(100));
        m.put("polling-1s", () -> new PollingContender(1000));
        m.put("db-scheduler-fetch", () -> new DbSchedulerContender(false, false));
        m.put("db-scheduler-lock-and-fetch", () -> new DbSchedulerContender(true, false));
        m.put("db-scheduler-fetch-tuned", () -> new DbSchedulerContender(false, true));
        m.put("db-scheduler-lock-and-fetch-tuned", () -> new DbSchedulerContender(true, true));
        m.put("jobrunr", () -> new JobRunrContender(org.jobrunr.server.BackgroundJobServerConfiguration.DEFAULT_POLL_INTERVAL));
        m.put("jobrunr-min-poll", () -> new JobRunrContender(JobRunrContender.MIN_POLL));
        return m;
    }

    static List<String> ids() {
        return List.copyOf(all().keySet());
    }
}

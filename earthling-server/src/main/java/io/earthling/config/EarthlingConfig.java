package io.earthling.config;

import io.earthling.api.ScheduleSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, validated; {@code schedules} are the recurring jobs of the config file,
 * {@code typeMaxAttempts} the attempts per job type ({@code types.TYPE.maxAttempts}), {@code pipelines} each named
 * pipeline's stage types in order, {@code httpAccess} the HTTP API's token and body cap. Build it with
 * {@link ConfigLoader#load}. {@code retention}: how long finished jobs are kept.
 */
public record EarthlingConfig(List<Endpoint> managers, List<AssistantEntry> assistants, StoreConfig store,
                              Endpoint http, Map<String, QueueConfig> queues, Timing timing, Limits limits,
                              WorkerConfig worker, Placement placement, List<ScheduleSpec> schedules,
                              Map<String, Integer> typeMaxAttempts, Map<String, List<String>> pipelines,
                              HttpAccess httpAccess, io.earthling.core.Retention retention) {

    public EarthlingConfig {
        pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
        managers = List.copyOf(managers);
        assistants = List.copyOf(assistants);
        schedules = List.copyOf(schedules);
        queues = Collections.unmodifiableMap(new LinkedHashMap<>(queues));
        typeMaxAttempts = Map.copyOf(typeMaxAttempts);
    }

    /** What {@code earthling run} uses with no file: one manager, one assistant with three workers, H2. */
    public static EarthlingConfig defaults() {
        return ConfigLoader.load(null, Map.of());
    }

    public Optional<AssistantEntry> assistant(String address, int port) {
        return assistants.stream().filter(a -> a.address().equals(address) && a.port() == port).findFirst();
    }

    public Optional<QueueConfig> queue(String name) {
        return Optional.ofNullable(queues.get(name));
    }
}

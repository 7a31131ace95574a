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
 * pipeline's stage types in order, {@code httpAccess} the HTTP API's token and body cap, {@code security} the TLS files
 * of this process and whether binding beyond loopback without them is allowed. Build it with
 * {@link ConfigLoader#load}. {@code retention}: how long finished jobs are kept.
 */
public record EarthlingConfig(List<Endpoint> managers, List<AssistantEntry> assistants, StoreConfig store,
                              Endpoint http, Map<String, QueueConfig> queues, Timing timing, Limits limits,
                              WorkerConfig worker, Placement placement, List<ScheduleSpec> schedules,
                              Map<String, Integer> typeMaxAttempts, Map<String, List<String>> pipelines,
                              HttpAccess httpAccess, io.earthling.core.Retention retention, Security security) {

    /** Without TLS, secure-by-default checks on. */
    public EarthlingConfig(List<Endpoint> managers, List<AssistantEntry> assistants, StoreConfig store,
                           Endpoint http, Map<String, QueueConfig> queues, Timing timing, Limits limits,
                           WorkerConfig worker, Placement placement, List<ScheduleSpec> schedules,
                           Map<String, Integer> typeMaxAttempts, Map<String, List<String>> pipelines,
                           HttpAccess httpAccess) {
        this(managers, assistants, store, http, queues, timing, limits, worker, placement, schedules, typeMaxAttempts,
                pipelines, httpAccess, io.earthling.core.Retention.DEFAULT, Security.NONE);
    }

    /**
     * {@code tls}: this process's certificate files ({@code tls.*}), null when not configured; {@code insecure}:
     * {@code security.insecure} (or {@code --insecure}), plaintext and tokenless even beyond loopback;
     * {@code clients}: the roles of each client certificate by name ({@code security.clients}).
     */
    public record Security(io.earthling.grpc.TlsFiles tls, boolean insecure, io.earthling.grpc.ClientRoles clients) {
        public static final Security NONE = new Security(null, false);

        /** Every client certificate may use the whole client API. */
        public Security(io.earthling.grpc.TlsFiles tls, boolean insecure) {
            this(tls, insecure, io.earthling.grpc.ClientRoles.everyone());
        }
    }

    /** This config with {@code security.insecure} set (the {@code --insecure} flag). */
    public EarthlingConfig insecure() {
        return new EarthlingConfig(managers, assistants, store, http, queues, timing, limits, worker, placement,
                schedules, typeMaxAttempts, pipelines, httpAccess, retention,
                new Security(security.tls(), true, security.clients()));
    }

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

package io.earthling.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void retention_defaults_to_a_day_a_week_and_two_weeks_and_takes_ages_per_queue() throws Exception {
        assertThat(ConfigLoader.load(null, Map.of()).retention()).isEqualTo(io.earthling.core.Retention.DEFAULT);

        EarthlingConfig c = ConfigLoader.load(write("""
                retention:
                  succeeded: 90m
                  dead: 0
                  queues:
                    audit: { succeeded: 30d }
                """), Map.of("EARTHLING_RETENTION_CANCELLED", "45s"));

        io.earthling.core.Retention r = c.retention();
        assertThat(r.ageMs(io.earthling.api.JobState.SUCCEEDED, "default")).isEqualTo(90 * 60_000L);
        assertThat(r.ageMs(io.earthling.api.JobState.SUCCEEDED, "audit")).isEqualTo(30L * 86_400_000L);
        assertThat(r.ageMs(io.earthling.api.JobState.DEAD, "default")).as("0 keeps forever").isZero();
        assertThat(r.ageMs(io.earthling.api.JobState.CANCELLED, "audit")).isEqualTo(45_000L);
    }

    @Test
    void example_handlers_run_on_loopback_only_unless_worker_examples_says() throws Exception {
        WorkerConfig unset = ConfigLoader.load(null, Map.of()).worker();
        assertThat(unset.examplesOn("127.0.0.3")).isTrue();
        assertThat(unset.examplesOn("10.0.0.3")).isFalse();
        assertThat(ConfigLoader.load(write("worker: { examples: true }\n"), Map.of()).worker().examplesOn("10.0.0.3"))
                .isTrue();
        assertThat(ConfigLoader.load(null, Map.of("EARTHLING_WORKER_EXAMPLES", "false")).worker()
                .examplesOn("127.0.0.1")).isFalse();
    }

    @Test
    void noFileGivesTheDefaults() {
        EarthlingConfig c = ConfigLoader.load(null, Map.of());

        assertThat(c.managers()).containsExactly(new Endpoint("127.0.0.1", 50051));
        assertThat(c.assistants()).containsExactly(new AssistantEntry("127.0.0.1", 50052, List.of(50061, 50062, 50063)));
        assertThat(c.store()).isEqualTo(new StoreConfig("jdbc:h2:file:./earthling-data/db", null, null, 4));
        assertThat(c.http()).isEqualTo(new Endpoint("127.0.0.1", 8080));
        assertThat(c.queues()).containsExactly(Map.entry("default", new QueueConfig(1, 0, 0)));
        assertThat(c.timing()).isEqualTo(new Timing(1000, 3000, 5000, 1000, 10000));
        assertThat(c.limits()).isEqualTo(new Limits(1048576, 10000));
        assertThat(c.worker()).isEqualTo(new WorkerConfig(List.of(), "handlers",
                List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), 1));
        assertThat(EarthlingConfig.defaults()).isEqualTo(c);
    }

    @Test
    void theSeedsLayoutIsRead() throws IOException {
        Path file = write("""
                rpc:
                  manager:   { address: '10.0.0.2', port: 50051 }
                  assistant:
                    - { address: '10.0.0.3', port: 50052, workers: [1000, 2000, 3000] }
                    - { address: '10.0.0.4', port: 50052, workers: [1000, 2000, 3000] }
                """);

        EarthlingConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.managers()).containsExactly(new Endpoint("10.0.0.2", 50051));
        assertThat(c.assistants()).containsExactly(
                new AssistantEntry("10.0.0.3", 50052, List.of(1000, 2000, 3000)),
                new AssistantEntry("10.0.0.4", 50052, List.of(1000, 2000, 3000)));
        assertThat(c.assistant("10.0.0.4", 50052)).map(AssistantEntry::workers).contains(List.of(1000, 2000, 3000));
        assertThat(c.assistant("10.0.0.5", 50052)).isEmpty();
        assertThat(c.managers().get(0).target()).isEqualTo("10.0.0.2:50051");
    }

    @Test
    void everySectionCanBeSet() throws IOException {
        Path file = write("""
                rpc:
                  manager:
                    - { address: 127.0.0.1, port: 50051 }
                    - { address: 127.0.0.2, port: 50051 }
                  assistant: { address: 127.0.0.3, port: 6000, workers: [6001] }
                store: { url: "jdbc:postgresql://db/earthling", user: app, password: secret, pool: 8 }
                http: { port: 9090 }
                queues: { crawl: { weight: 3, concurrency: 10, rate: 50, maxAttempts: 5 } }
                timing: { heartbeatMs: 200, sweepMs: 50 }
                limits: { maxBatch: 500 }
                worker: { commands: [/bin/cat], handlersDir: /opt/handlers, jvmOptions: [], prefetch: 0 }
                """);

        EarthlingConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.managers()).extracting(Endpoint::target).containsExactly("127.0.0.1:50051", "127.0.0.2:50051");
        assertThat(c.assistants()).containsExactly(new AssistantEntry("127.0.0.3", 6000, List.of(6001)));
        assertThat(c.store()).isEqualTo(new StoreConfig("jdbc:postgresql://db/earthling", "app", "secret", 8));
        assertThat(c.store().toString()).doesNotContain("secret");
        assertThat(c.http()).isEqualTo(new Endpoint("127.0.0.1", 9090));
        assertThat(c.queues()).containsEntry("crawl", new QueueConfig(3, 10, 50, 5)).containsKey("default");
        assertThat(c.timing()).isEqualTo(new Timing(200, 3000, 5000, 50, 10000));
        assertThat(c.limits()).isEqualTo(new Limits(1048576, 500));
        assertThat(c.worker()).isEqualTo(new WorkerConfig(List.of("/bin/cat"), "/opt/handlers", List.of(), 0));
    }

    @Test
    void schedulesAreReadWithTheirJobAndAMapPayloadBecomesJson() throws IOException {
        Path file = write("""
                schedules:
                  nightly: { cron: '0 2 * * *', timeZone: Europe/Berlin, type: echo, payload: { n: 1 }, queue: batch,
                             priority: 5, maxAttempts: 2 }
                  minutely: { cron: '* * * * *', type: noop }
                """);

        EarthlingConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.schedules()).containsExactly(
                new io.earthling.api.ScheduleSpec("nightly", "0 2 * * *", "Europe/Berlin", "echo", "{\"n\":1}", "batch", 5, 2),
                new io.earthling.api.ScheduleSpec("minutely", "* * * * *", "UTC", "noop", "{}", "default", 0, 3));
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws IOException {
        assertThat(ConfigLoader.load(write(""), Map.of())).isEqualTo(EarthlingConfig.defaults());
    }

    @Test
    void anAssistantWithoutWorkersGetsThreePortsAboveItsOwn() throws IOException {
        Path file = write("rpc: { assistant: [ { address: 127.0.0.2, port: 7000 } ] }");

        assertThat(ConfigLoader.load(file, Map.of()).assistants().get(0).workers()).containsExactly(7009, 7010, 7011);
    }

    @Test
    void workerPortsMayRunPythonPerPortOrPerAssistantWithTheInterpreterAndModulesOfWorkerPython() throws IOException {
        Path file = write("""
                rpc:
                  assistant:
                    - { address: 127.0.0.2, port: 7000, workers: [7001, { port: 7002, runtime: python }, { port: 7003, runtime: java }] }
                    - { address: 127.0.0.3, port: 7000, runtime: python, workers: [7001, { port: 7002, runtime: java }] }
                worker:
                  python: { interpreter: /opt/py/bin/python3, modules: [mining.analyze, mining.crawl], path: [handlers-py] }
                """);

        EarthlingConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.assistants()).containsExactly(
                new AssistantEntry("127.0.0.2", 7000, List.of(7001, 7002, 7003), List.of(7002)),
                new AssistantEntry("127.0.0.3", 7000, List.of(7001, 7002), List.of(7001)));
        assertThat(c.assistants().get(0).javaWorkers()).containsExactly(7001, 7003);
        assertThat(c.worker().python()).isEqualTo(new WorkerConfig.Python("/opt/py/bin/python3",
                List.of("mining.analyze", "mining.crawl"), List.of("handlers-py")));
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("earthling.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}

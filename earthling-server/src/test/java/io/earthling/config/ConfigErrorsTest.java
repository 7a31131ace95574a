package io.earthling.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.api.EarthlingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedPortNamesItsPathAndValue() {
        assertError("""
                rpc:
                  assistant:
                    - { address: 127.0.0.2, port: 50052, workers: [1] }
                    - { address: 127.0.0.3, port: 50o52, workers: [1] }
                """, "rpc.assistant[1].port: not a port number: \"50o52\"");
    }

    @Test
    void aBadWorkerRuntimeOrPythonSettingNamesItsKey() {
        assertError("rpc: { assistant: [ { port: 7000, workers: [{ port: 7001, runtime: ruby }] } ] }",
                "rpc.assistant[0].workers[0].runtime: must be java or python, got \"ruby\"");
        assertError("rpc: { assistant: [ { port: 7000, runtime: go } ] }",
                "rpc.assistant[0].runtime: must be java or python, got \"go\"");
        assertError("rpc: { assistant: [ { port: 7000, workers: [{ port: 7001, lang: python }] } ] }",
                "rpc.assistant[0].workers[0].lang: unknown key (known: port, runtime)");
        assertError("worker: { python: { modules: ['not a module'] } }",
                "worker.python.modules[0]: not a Python module name: \"not a module\"");
        assertError("worker: { python: { interpreter: '' } }",
                "worker.python.interpreter: must not be empty");
        assertError("rpc: { assistant: [ { port: 7000, runtime: python } ] }",
                "worker.python.modules: rpc.assistant[0] runs Python workers, which need at least one module with"
                        + " @earthling.handler functions");
    }

    @Test
    void aBadRetentionNamesItsKeyAndTheReason() {
        assertError("retention: { succeeded: 2 days }",
                "retention.succeeded: not a duration like 90s, 30m, 24h or 14d (0 for none): \"2 days\"");
        assertError("retention: { succeeded: 12 }",
                "retention.succeeded: not a duration like 90s, 30m, 24h or 14d (0 for none): 12");
        assertError("retention: { finished: 1d }", "retention.finished: unknown key (known: succeeded, cancelled, dead, queues)");
        assertError("retention: { queues: { 'a b': { dead: 1d } } }",
                "retention.queues.a b: not a queue name (letters, digits, '_', '.', '-'; at most 64)");
    }

    @Test
    void commandEnvNamesVariablesButNeverEarthlingsOwn() {
        assertError("worker: { commandEnv: [PATH, EARTHLING_HTTP_TOKEN] }",
                "worker.commandEnv[1]: must name an environment variable, not one of Earthling's own (EARTHLING_*):"
                        + " \"EARTHLING_HTTP_TOKEN\"");
        assertError("worker: { commandEnv: ['A=B'] }", "worker.commandEnv[0]: must name an environment variable,"
                + " not one of Earthling's own (EARTHLING_*): \"A=B\"");
    }

    @Test
    void workerExamplesIsTrueOrFalse() {
        assertError("worker: { examples: yes please }", "worker.examples: must be true or false, got \"yes please\"");
    }

    @Test
    void aBadPipelineNamesItsKeyAndTheReason() {
        assertError("pipelines: { mining: { stages: [] } }", "pipelines.mining.stages: a pipeline needs at least one stage");
        assertError("pipelines: { mining: { } }", "pipelines.mining.stages: required: the stages' job types, in order");
        assertError("pipelines: { mining: { stages: [crawl, 'a b'] } }", "pipelines.mining.stages[1]: not a job type: \"a b\"");
        assertError("pipelines: { mining: { stages: [crawl], then: x } }", "pipelines.mining.then: unknown key (known: stages)");
    }

    @Test
    void aBadScheduleNamesItsKeyAndTheReason() {
        assertError("schedules: { nightly: { cron: '0 25 * * *', type: echo } }",
                "schedules.nightly.cron: hour: 25 is outside 0-23");
        assertError("schedules: { nightly: { cron: '0 2 * *', type: echo } }",
                "schedules.nightly.cron: expected 5 fields (minute hour day-of-month month day-of-week), got 4 in \"0 2 * *\"");
        assertError("schedules: { nightly: { cron: '0 2 * * *', timeZone: Mars/Base, type: echo } }",
                "schedules.nightly.timeZone: unknown time zone \"Mars/Base\" (e.g. UTC, Europe/Berlin)");
        assertError("schedules: { nightly: { cron: '0 2 * * *' } }",
                "schedules.nightly.type: missing (every schedule needs cron and type)");
        assertError("schedules: { nightly: { cron: '0 2 * * *', type: echo, payload: '{nope' } }",
                "schedules.nightly.payload: not valid JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name");
        assertError("schedules: { nightly: { cron: '0 2 * * *', type: echo, when: now } }",
                "schedules.nightly.when: unknown key (known: cron, timeZone, type, payload, queue, priority, maxAttempts)");
        assertError("schedules: { 'night ly': { cron: '0 2 * * *', type: echo } }",
                "schedules.night ly: not a schedule name (letters, digits, '_', '.', '-'; at most 100)");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertError("http: { port: 70000 }", "http.port: not a port number: 70000 (must be 1..65535)");
        assertError("http: { port: 0 }", "http.port: not a port number: 0 (must be 1..65535)");
        assertError("http: { token: short }", "http.token: too short: at least 16 characters, got 5");
        assertError("http: { tokn: abcdefabcdefabcdef }", "http.tokn: unknown key (known: address, port, token, maxBodyBytes, sessionTtl)");
        assertError("http: { sessionTtl: 0 }", "http.sessionTtl: must be more than 0 (a dashboard session must end), e.g."
                + " 12h; got 0");
        assertError("http: { sessionTtl: forever }", "http.sessionTtl: not a duration like 90s, 30m, 24h or 14d (0 for"
                + " none): \"forever\"");
    }

    @Test
    void anUnknownKeyListsTheKnownOnes() {
        assertError("rpc: { asistant: [] }", "rpc.asistant: unknown key (known: manager, assistant)");
        assertError("stores: {}", "stores: unknown key (known: rpc, store, http, queues, types, timing, limits, worker, "
                + "placement, schedules, pipelines, retention, tls, security)");
    }

    @Test
    void aStoreUrlMustBeH2OrPostgresql() {
        assertError("store: { url: 'jdbc:mysql://x/db' }", "store.url: must start with jdbc:h2: or jdbc:postgresql:");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("./x.yaml"), Map.of()))
                .isInstanceOf(EarthlingException.class)
                .hasMessage("config file ./x.yaml: not found");
    }

    @Test
    void aYamlSyntaxErrorNamesFileAndLineOnOneLine() throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "rpc:\n  manager: { address: a, port: 1 }\n  assistant: [ { port: 2 }\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + file + " line ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aDuplicateKeyIsASyntaxError() throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "http: { port: 1 }\nhttp: { port: 2 }\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .hasMessageStartingWith("config file " + file + " line 2: ")
                .hasMessageContaining("http");
    }

    @Test
    void aDuplicateWorkerPortWithinAnAssistantIsRefused() {
        assertError("rpc: { assistant: [ { port: 50052, workers: [1000, 2000, 1000] } ] }",
                "rpc.assistant[0].workers[2]: duplicate worker port 1000 on this assistant");
    }

    @Test
    void aWorkerOnTheAssistantsOwnPortIsRefused() {
        assertError("rpc: { assistant: [ { port: 5000, workers: [5000] } ] }",
                "rpc.assistant[0].workers[0]: worker port 5000 is the assistant's own port");
    }

    @Test
    void twoAssistantsAtTheSameAddressAndPortAreRefused() {
        assertError("rpc: { assistant: [ { port: 5000, workers: [1] }, { port: 5000, workers: [2] } ] }",
                "rpc.assistant[1]: duplicate of rpc.assistant[0] (127.0.0.1:5000)");
    }

    @Test
    void aQueueWeightBelowOneIsRefused() {
        assertError("queues: { crawl: { weight: 0 } }", "queues.crawl.weight: must be at least 1, got 0");
        assertError("queues: { crawl: { concurrency: -1 } }", "queues.crawl.concurrency: must be at least 0, got -1");
        assertError("types: { crawl: { maxAttempts: 0 } }", "types.crawl.maxAttempts: must be at least 1, got 0");
        assertError("types: { crawl: { attempts: 2 } }", "types.crawl.attempts: unknown key (known: maxAttempts)");
    }

    @Test
    void aNumberThatIsNotWholeIsRefused() {
        assertError("timing: { heartbeatMs: 1.5 }", "timing.heartbeatMs: not a whole number: 1.5");
    }

    @Test
    void theNodeGraceMustOutlastAHeartbeat() {
        assertError("timing: { heartbeatMs: 1000, nodeGraceMs: 500 }",
                "timing.nodeGraceMs: must be longer than timing.heartbeatMs (1000), got 500");
    }

    @Test
    void aRelativeCommandIsRefused() {
        assertError("worker: { commands: [cat] }", "worker.commands[0]: must be an absolute path: \"cat\"");
    }

    @Test
    void aListWhereAMapBelongsIsRefused() {
        assertError("store: [1, 2]", "store: expected a map, got a list");
    }

    private void assertError(String yaml, String message) {
        Path file = dir.resolve("earthling.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}

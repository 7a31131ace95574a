package io.earthling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvOverridesTest {
    @TempDir
    Path dir;

    @Test
    void variablesOverrideSingleKeys() {
        EarthlingConfig c = ConfigLoader.load(null, Map.of(
                "EARTHLING_STORE_URL", "jdbc:postgresql://db/x",
                "EARTHLING_RPC_MANAGER_PORT", "6000",
                "EARTHLING_TIMING_HEARTBEATMS", "250",
                "EARTHLING_QUEUES_DEFAULT_WEIGHT", "5"));

        assertThat(c.store().url()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(c.managers()).containsExactly(new Endpoint("127.0.0.1", 6000));
        assertThat(c.timing().heartbeatMs()).isEqualTo(250);
        assertThat(c.queues().get("default").weight()).isEqualTo(5);
    }

    @Test
    void variableNamesMatchInAnyCase() {
        EarthlingConfig c = ConfigLoader.load(null, Map.of("earthling_timing_heartbeatMs", "300"));

        assertThat(c.timing().heartbeatMs()).isEqualTo(300);
    }

    @Test
    void aVariableWinsOverTheFile() throws IOException {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, "http: { address: 0.0.0.0, port: 8081 }\nqueues: { crawl: { weight: 2 } }\n");

        EarthlingConfig c = ConfigLoader.load(file, Map.of("EARTHLING_HTTP_PORT", "9000",
                "EARTHLING_QUEUES_CRAWL_CONCURRENCY", "4"));

        assertThat(c.http()).isEqualTo(new Endpoint("0.0.0.0", 9000));
        assertThat(c.queues().get("crawl")).isEqualTo(new QueueConfig(2, 4, 0));
    }

    @Test
    void aBadValueNamesTheKeyAndTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("EARTHLING_RPC_MANAGER_PORT", "50o51")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rpc.manager.port (from EARTHLING_RPC_MANAGER_PORT): not a port number: \"50o51\"");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("EARTHLING_STORE_URL", "mysql://x")))
                .hasMessage("store.url (from EARTHLING_STORE_URL): must start with jdbc:h2: or jdbc:postgresql:");
    }

    @Test
    void aManagerPortCannotBeOverriddenWhenSeveralManagersAreListed() throws IOException {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, "rpc: { manager: [ { port: 1 }, { port: 2 } ] }\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("EARTHLING_RPC_MANAGER_PORT", "3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("EARTHLING_RPC_MANAGER_PORT: rpc.manager is a list of managers");
    }

    @Test
    void unrelatedVariablesAreIgnored() {
        EarthlingConfig c = ConfigLoader.load(null, Map.of("EARTHLING_PG_URL", "jdbc:postgresql://x", "HOME", "/root"));

        assertThat(c).isEqualTo(EarthlingConfig.defaults());
    }
}

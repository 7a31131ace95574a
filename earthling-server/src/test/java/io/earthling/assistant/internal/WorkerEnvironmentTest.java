package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.worker.WorkerSecret;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WorkerEnvironmentTest {
    @Test
    void earthling_settings_stay_with_the_assistant_and_the_spawn_secret_is_added() {
        Map<String, String> env = WorkerEnvironment.of(Map.of("PATH", "/usr/bin", "EARTHLING_HTTP_TOKEN", "t",
                "EARTHLING_STORE_PASSWORD", "p", "EARTHLING_PY_STUBS", "/stubs", "PYTHONPATH", "/old"),
                Map.of("PYTHONPATH", "/new"), "s3");
        assertThat(env).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("EARTHLING_PY_STUBS", "/stubs"),
                Map.entry("PYTHONPATH", "/new"), Map.entry(WorkerSecret.ENV, "s3"));
    }

    @Test
    void workers_listen_on_loopback_the_assistants_own_when_it_is_one() {
        assertThat(WorkerEnvironment.loopbackFor("127.0.0.3")).isEqualTo("127.0.0.3");
        assertThat(WorkerEnvironment.loopbackFor("10.0.0.5")).isEqualTo("127.0.0.1");
        assertThat(WorkerEnvironment.loopbackFor("0.0.0.0")).isEqualTo("127.0.0.1");
    }
}

package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.api.EarthlingException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WorkerSecretTest {
    @Test
    void only_the_same_secret_matches() {
        String s = WorkerSecret.fresh();
        WorkerSecret secret = WorkerSecret.of(s);
        assertThat(secret.matches(s)).isTrue();
        assertThat(secret.matches(null)).isFalse();
        assertThat(secret.matches("")).isFalse();
        assertThat(secret.matches(s + "x")).isFalse();
        assertThat(secret.matches(s.substring(1))).isFalse();
    }

    @Test
    void fresh_secrets_differ_and_are_long() {
        assertThat(WorkerSecret.fresh()).isNotEqualTo(WorkerSecret.fresh()).hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void a_worker_without_a_secret_does_not_start() {
        assertThatThrownBy(() -> WorkerSecret.of(null)).isInstanceOf(EarthlingException.class)
                .hasMessageContaining(WorkerSecret.ENV);
        assertThatThrownBy(() -> WorkerSecret.of(" ")).isInstanceOf(EarthlingException.class);
    }

    @Test
    void loopback_addresses_are_told_apart() {
        assertThat(WorkerProcess.isLoopback("127.0.0.1")).isTrue();
        assertThat(WorkerProcess.isLoopback("127.0.0.3")).isTrue();
        assertThat(WorkerProcess.isLoopback("::1")).isTrue();
        assertThat(WorkerProcess.isLoopback("0.0.0.0")).isFalse();
        assertThat(WorkerProcess.isLoopback("10.1.2.3")).isFalse();
    }
}

package io.earthling.manager.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostCheckTest {
    @Test
    void on_loopback_without_a_token_only_loopback_names_and_the_bound_address_are_served() {
        HostCheck c = new HostCheck("127.0.0.1", false);
        assertThat(c.allows("127.0.0.1:8080")).isTrue();
        assertThat(c.allows("localhost:8080")).isTrue();
        assertThat(c.allows("LOCALHOST")).isTrue();
        assertThat(c.allows("[::1]:8080")).isTrue();
        assertThat(c.allows("127.0.0.7")).isTrue();
        assertThat(c.allows("evil.example:8080")).isFalse();
        assertThat(c.allows("127.0.0.1.evil.example")).isFalse();
        assertThat(c.allows(null)).isFalse();
        assertThat(c.allows("")).isFalse();
    }

    @Test
    void with_a_token_or_off_loopback_any_host_is_served() {
        assertThat(new HostCheck("127.0.0.1", true).allows("evil.example")).isTrue();
        assertThat(new HostCheck("10.0.0.2", false).allows("earthling.internal")).isTrue();
    }
}

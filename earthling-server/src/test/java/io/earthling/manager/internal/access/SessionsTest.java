package io.earthling.manager.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.grpc.ClientRoles.Role;
import io.earthling.grpc.Principal;
import io.earthling.manager.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Dashboard sessions on a clock the test moves: they expire, end at sign-out and when their token is revoked. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Principal reader = Principal.token("grafana", Set.of(Role.READ));

    @Test
    void a_session_lasts_its_ttl_and_not_a_millisecond_more() {
        Sessions sessions = new Sessions(clock, Duration.ofHours(12), 10);
        String id = sessions.open(reader, "grafana");

        clock.advance(Duration.ofHours(12).minusMillis(1));
        assertThat(sessions.find(id)).hasValueSatisfying(s -> assertThat(s.principal()).isEqualTo(reader));

        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.size()).as("an expired session is dropped").isZero();
    }

    @Test
    void signing_out_ends_the_session_and_an_unknown_id_finds_nothing() {
        Sessions sessions = new Sessions(clock, Duration.ofHours(1), 10);
        String id = sessions.open(reader, "grafana");

        sessions.close(id);

        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.find("made-up")).isEmpty();
    }

    @Test
    void revoking_a_token_ends_its_sessions_only() {
        Sessions sessions = new Sessions(clock, Duration.ofHours(1), 10);
        String a = sessions.open(reader, "grafana");
        String b = sessions.open(reader, "grafana");
        String admin = sessions.open(Principal.bootstrap(), null);

        assertThat(sessions.endFor("grafana")).isEqualTo(2);

        assertThat(sessions.find(a)).isEmpty();
        assertThat(sessions.find(b)).isEmpty();
        assertThat(sessions.find(admin)).isPresent();
    }

    @Test
    void ids_are_random_and_long_and_the_oldest_session_makes_room_when_full() {
        Sessions sessions = new Sessions(clock, Duration.ofHours(1), 2);
        String first = sessions.open(reader, "grafana");
        clock.advance(Duration.ofSeconds(1));
        String second = sessions.open(reader, "grafana");
        clock.advance(Duration.ofSeconds(1));
        String third = sessions.open(reader, "grafana");

        assertThat(first).hasSize(43).isNotEqualTo(second).isNotEqualTo(third);
        assertThat(sessions.size()).isEqualTo(2);
        assertThat(sessions.find(first)).isEmpty();
        assertThat(sessions.find(third)).isPresent();
    }

    @Test
    void a_ttl_of_zero_is_refused_naming_the_key() {
        assertThatThrownBy(() -> new Sessions(clock, Duration.ZERO, 10)).hasMessageStartingWith("http.sessionTtl:");
    }
}

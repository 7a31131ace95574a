package io.earthling.manager.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.grpc.BearerTokens;
import io.earthling.grpc.ClientRoles.Role;
import io.earthling.grpc.Principal;
import io.earthling.manager.ManualClock;
import io.earthling.store.Store;
import io.earthling.store.StoreSettings;
import io.earthling.store.StoredToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Tokens on an in-memory H2 store and a clock the test moves: what a token stands for, and when it stops. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiTokensTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Store store = Store.open(StoreSettings.of("jdbc:h2:mem:tokens-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    private final ApiTokens tokens = new ApiTokens(store.tokens(), clock, "bootstrap-secret-0123456789");

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_token_is_et_and_43_characters_and_only_its_digest_is_stored() {
        ApiTokens.Issued ci = tokens.create("ci", List.of("submit", "read"), null);

        assertThat(ci.token()).matches("et_[A-Za-z0-9_-]{43}");
        StoredToken stored = store.tokens().all().get(0);
        assertThat(stored.digest()).isEqualTo(TokenText.digest(ci.token())).doesNotContain(ci.token().substring(3));
        assertThat(stored.roles()).containsExactly("read", "submit");
        assertThat(tokens.check(ci.token()).principal())
                .isEqualTo(Principal.token("ci", Set.of(Role.READ, Role.SUBMIT)));
    }

    @Test
    void the_bootstrap_secret_is_admin_and_anything_else_is_unknown() {
        assertThat(tokens.check("bootstrap-secret-0123456789").principal()).isEqualTo(Principal.bootstrap());
        assertThat(tokens.check("et_guessed").refusal()).isEqualTo("unknown token");
        assertThat(new ApiTokens(store.tokens(), clock, null).check("bootstrap-secret-0123456789").principal()).isNull();
    }

    @Test
    void a_revoked_token_is_refused_at_once_and_its_sessions_are_told() {
        ApiTokens.Issued ci = tokens.create("ci", List.of("read"), null);
        List<String> ended = new ArrayList<>();
        tokens.onRevoke(ended::add);

        tokens.revoke("ci");

        BearerTokens.Check c = tokens.check(ci.token());
        assertThat(c.principal()).isNull();
        assertThat(c.refusal()).startsWith("token ci was revoked at 2026-01-01T00:00:00Z");
        assertThat(tokens.active("ci")).isFalse();
        assertThat(ended).containsExactly("ci");
    }

    @Test
    void a_token_expires_on_the_clock() {
        ApiTokens.Issued ci = tokens.create("ci", List.of("read"), Duration.ofDays(90));

        clock.advance(Duration.ofDays(90).minusMillis(1));
        assertThat(tokens.check(ci.token()).principal()).isNotNull();
        clock.advance(Duration.ofMillis(1));
        assertThat(tokens.check(ci.token()).refusal()).isEqualTo("token ci expired at 2026-04-01T00:00:00Z");
    }

    @Test
    void a_revoke_on_another_manager_is_seen_at_the_next_refresh() {
        ApiTokens other = new ApiTokens(store.tokens(), clock, null);
        ApiTokens.Issued ci = tokens.create("ci", List.of("read"), null);
        other.refresh();
        assertThat(other.check(ci.token()).principal()).isNotNull();

        tokens.revoke("ci");
        assertThat(other.check(ci.token()).principal()).as("before its refresh").isNotNull();
        other.refresh();

        assertThat(other.check(ci.token()).principal()).isNull();
    }

    @Test
    void bad_names_roles_and_taken_names_are_refused_naming_the_field() {
        tokens.create("ci", List.of("read"), null);

        assertThatThrownBy(() -> tokens.create("ci", List.of("read"), null)).hasMessageStartingWith("token ci exists");
        assertThatThrownBy(() -> tokens.create("a b", List.of("read"), null)).hasMessageStartingWith("name: ");
        assertThatThrownBy(() -> tokens.create("x", List.of("root"), null))
                .hasMessage("roles: unknown role \"root\" (expected read, submit, operate or admin)");
        assertThatThrownBy(() -> tokens.create("x", List.of(), null)).hasMessageStartingWith("roles: ");
        assertThatThrownBy(() -> tokens.revoke("nobody")).hasMessageStartingWith("no token named nobody");
    }
}

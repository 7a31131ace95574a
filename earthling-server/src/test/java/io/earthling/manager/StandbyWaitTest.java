package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** When a standby asks for the lease again: right after the holder's lease expires, never later than ttl / 3. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StandbyWaitTest {

    @Test
    void a_standby_asks_again_just_after_the_holders_lease_expires() {
        assertThat(Manager.standbyWaitMs(10_000, Optional.of(1_200L))).isEqualTo(1_220);
        assertThat(Manager.standbyWaitMs(10_000, Optional.of(0L))).as("expiring now").isEqualTo(20);
    }

    @Test
    void a_standby_asks_at_least_every_third_of_the_ttl_in_case_the_holder_releases_it() {
        assertThat(Manager.standbyWaitMs(10_000, Optional.of(9_000L))).isEqualTo(3_333);
    }

    @Test
    void a_free_lease_that_was_not_won_is_asked_for_again_soon() {
        // e.g. the takeover's lock timeout ran out behind a write still running
        assertThat(Manager.standbyWaitMs(10_000, Optional.empty())).isEqualTo(100);
    }
}

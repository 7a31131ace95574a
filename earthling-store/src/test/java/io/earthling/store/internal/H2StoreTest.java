package io.earthling.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 file database in a fresh folder (which H2 would not create by itself). */
class H2StoreTest extends JobStoreContract {
    @TempDir
    Path dir;

    @Override
    StoreSettings newDatabase() {
        return StoreSettings.of("jdbc:h2:file:" + dir.resolve("data/nested/db"));
    }

    @Test
    void h2_gives_no_signal_for_external_inserts_and_waits_out_the_timeout() throws Exception {
        assertThat(store.notifiesExternalInserts()).isFalse();
        try (var listener = store.listenForExternalInserts()) {
            long start = System.nanoTime();

            assertThat(listener.await(Duration.ofMillis(100))).isFalse();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
        }
    }

    @Test
    void describe_says_h2() {
        assertThat(store.describe()).startsWith("H2 ").contains("jdbc:h2:file:");
    }
}

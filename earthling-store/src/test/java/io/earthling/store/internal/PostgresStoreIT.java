package io.earthling.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.store.ExternalInserts;
import io.earthling.store.StoreSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL: a server from EARTHLING_PG_URL, else an embedded one. */
class PostgresStoreIT extends JobStoreContract {

    @Override
    StoreSettings newDatabase() throws Exception {
        return PostgresDatabases.newSchema();
    }

    @Override
    void dropDatabase(StoreSettings settings) throws Exception {
        PostgresDatabases.drop(settings);
    }

    @Test
    void describe_says_postgresql() {
        assertThat(store.describe()).startsWith("PostgreSQL ").contains("jdbc:postgresql:");
    }

    @Test
    void the_listener_wakes_up_within_a_second_after_a_plain_sql_insert() throws Exception {
        assertThat(store.notifiesExternalInserts()).isTrue();
        try (ExternalInserts listener = store.listenForExternalInserts()) {
            assertThat(listener.await(Duration.ofMillis(50))).as("nothing inserted yet").isFalse();
            sql("INSERT INTO jobs (type, payload) VALUES ('echo','{\"n\":1}')");
            long start = System.nanoTime();

            boolean woke = listener.await(Duration.ofSeconds(5));

            assertThat(woke).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(jobs.claimExternal(10, NO_LEADER)).hasSize(1);
        }
    }

    @Test
    void jobs_the_manager_inserts_itself_send_no_signal() throws Exception {
        try (ExternalInserts listener = store.listenForExternalInserts()) {
            insertOne("a");

            assertThat(listener.await(Duration.ofMillis(300))).isFalse();
        }
    }

    @Test
    void a_lost_listen_connection_is_reconnected_and_reported_as_a_wake_up() throws Exception {
        try (PgExternalInserts listener = (PgExternalInserts) store.listenForExternalInserts()) {
            int pid = listener.backendPid();
            sql("SELECT pg_terminate_backend(" + pid + ")");

            assertThat(listener.await(Duration.ofSeconds(5))).as("a sweep is due after the gap").isTrue();
            assertThat(listener.backendPid()).isNotIn(0, pid);

            sql("INSERT INTO jobs (type) VALUES ('echo')");
            assertThat(listener.await(Duration.ofSeconds(5))).as("the new connection listens").isTrue();
        }
    }

    @Test
    void close_wakes_a_waiting_listener() throws Exception {
        ExternalInserts listener = store.listenForExternalInserts();
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener.close();
        });
        closer.start();
        long start = System.nanoTime();

        assertThat(listener.await(Duration.ofSeconds(10))).isFalse();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        closer.join();
    }
}

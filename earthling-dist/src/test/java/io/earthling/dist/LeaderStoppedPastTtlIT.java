package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.EarthlingClient;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGSTOP of the leading manager past its lease's time to live, with a standby and an assistant: the standby
 * takes over and the assistant re-registers with it while the old leader is still stopped, and the old leader,
 * once resumed, steps down and exits with status 3 instead of half leading (issue 15).
 *
 * <p>Asserted: the order of events (takeover and re-registration before SIGCONT, exit after it) and the exit
 * status; the deadlines (30 s each) only catch "never", as before issue 15's fix, when the takeover waited for the
 * old leader to resume. The times are printed, not asserted: on a shared 2-core build machine a JVM can be starved
 * for seconds, and the goal of leaderless at most the ttl + 2 s is measured under load by the fault-injection
 * harness instead (docs/reliability.md).
 */
class LeaderStoppedPastTtlIT {
    private static final long TTL_MS = 3_000;

    @Test
    void the_standby_takes_over_and_the_resumed_old_leader_exits_with_status_3() throws Exception {
        String url = TestPostgres.freshDatabase();
        int portA = Cluster.freePort();
        int portB = Cluster.freePort();
        int assistantPort = Cluster.freePort();
        try (Cluster c = new Cluster("leader-stopped"); Connection db = DriverManager.getConnection(url)) {
            Path config = c.write("earthling.yaml", "rpc:\n"
                    + "  manager:\n"
                    + "    - { address: '127.0.0.1', port: " + portA + " }\n"
                    + "    - { address: '127.0.0.1', port: " + portB + " }\n"
                    + "  assistant:\n"
                    + "    - { address: '127.0.0.2', port: " + assistantPort + ", workers: [" + Cluster.freePort() + "] }\n"
                    + "store: { url: \"" + url + "\" }\n"
                    + "http: { port: " + Cluster.freePort() + " }\n"
                    + "timing: { leaseTtlMs: " + TTL_MS + " }\n");
            String a = "127.0.0.1:" + portA;
            String b = "127.0.0.1:" + portB;
            Process leader = c.start("manager-a", "manager", "--config", config.toString(), "--address", "127.0.0.1",
                    "--port", String.valueOf(portA));
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> a.equals(holder(db)));
            c.start("manager-b", "manager", "--config", config.toString(), "--address", "127.0.0.1",
                    "--port", String.valueOf(portB));
            c.start("assistant", "assistant", "--config", config.toString(), "--address", "127.0.0.2",
                    "--port", String.valueOf(assistantPort));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> c.log("manager-b").contains("Standby"));
            try (EarthlingClient toA = EarthlingClient.connect("127.0.0.1", portA)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> toA.nodes().stream().anyMatch(n -> n.status().equals("ONLINE")));
            }

            long stoppedAt = System.nanoTime();
            signal("STOP", leader.pid());
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> b.equals(holder(db)));
            long takeoverMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            long registeredMs;
            try (EarthlingClient toB = EarthlingClient.connect("127.0.0.1", portB)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .ignoreExceptions()
                        .until(() -> toB.nodes().stream().anyMatch(n -> n.status().equals("ONLINE")));
                registeredMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            }
            long resumedAt = System.nanoTime();
            signal("CONT", leader.pid());

            assertThat(leader.waitFor(30, TimeUnit.SECONDS)).as("the resumed old leader exits").isTrue();
            long exitMs = (System.nanoTime() - resumedAt) / 1_000_000;
            System.out.printf("SIGSTOP of the leader (lease ttl %d ms): the standby held the lease %d ms later, the"
                    + " assistant was online at it %d ms later; after SIGCONT the old leader exited with status %d"
                    + " in %d ms (goal: the lease held again within the ttl + 2 s = %d ms; reported, not asserted)%n",
                    TTL_MS, takeoverMs, registeredMs, leader.exitValue(), exitMs, TTL_MS + 2_000);
            assertThat(leader.exitValue()).isEqualTo(3);
            assertThat(c.log("manager-a")).contains("lost the leader lease").contains("Manager stopped");
            assertThat(holder(db)).isEqualTo(b);
        }
    }

    private static String holder(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT holder FROM manager_lease WHERE name = 'leader' AND expires_at > CURRENT_TIMESTAMP")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor()).isZero();
    }
}

package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI as a newcomer meets it: real `earthling` processes against one all-in-one cluster. */
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AllInOne cluster;

    @BeforeAll
    static void start() {
        cluster = new AllInOne("cli").start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Cluster.Run ok(String... args) {
        Cluster.Run r = cluster.cli(args);
        assertThat(r.exit()).as("exit code of earthling %s%nstdout:%n%s%nstderr:%n%s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    /** The one line a refused command prints, checked to be one line with no stack trace and a non-zero exit. */
    private static String refused(Cluster.Run r) {
        assertThat(r.exit()).as("stdout %s, stderr %s", r.out(), r.err()).isNotZero();
        assertThat(r.err().strip()).as("one line").doesNotContain("\n").doesNotContain("Exception").startsWith("earthling: ");
        return r.err().strip();
    }

    @Test
    void a_payload_is_read_from_at_file_with_or_without_equals_sign_and_from_standard_input() {
        cluster.cluster.write("payload.json", "{\"from\": \"file\"}");
        assertThat(ok("submit", "echo", "--payload", "@payload.json", "--wait").out()).contains("SUCCEEDED {\"from\": \"file\"}");
        assertThat(ok("submit", "echo", "--payload=@payload.json", "--wait").out()).contains("SUCCEEDED {\"from\": \"file\"}");
        assertThat(cluster.cluster.runWithInput(cluster.env, "{\"from\": \"stdin\"}", "submit", "echo", "--payload", "-", "--wait").out())
                .contains("SUCCEEDED {\"from\": \"stdin\"}");
        assertThat(refused(cluster.cli("submit", "echo", "--payload", "@missing.json")))
                .isEqualTo("earthling: --payload: no file missing.json (@FILE reads a file; give the JSON itself without @)");
        assertThat(refused(cluster.cli("submit", "echo", "--payload", "{\"a\":")))
                .isEqualTo("earthling: --payload: not valid JSON: Unexpected end-of-input within/between Object entries (line 1, column 6)");
    }

    @Test
    void submitting_again_with_an_idempotency_key_says_the_job_already_exists() {
        String first = ok("submit", "echo", "--payload", "{\"to\": \"a@b\"}", "--idempotency-key", "order-42").out().strip();
        assertThat(first).matches("submitted job \\d+");
        String id = first.substring("submitted job ".length());

        assertThat(ok("submit", "echo", "--payload", "{\"to\": \"a@b\"}", "--idempotency-key", "order-42").out().strip())
                .isEqualTo("job " + id + " already exists for idempotency key order-42; nothing new submitted");
    }

    @Test
    void a_file_the_manager_refuses_names_the_files_line_and_says_nothing_was_submitted() {
        cluster.cluster.write("jobs.jsonl", "{\"type\": \"echo\"}\n\n{\"type\": \"no-such-type\"}\n");
        assertThat(refused(cluster.cli("submit", "--file", "jobs.jsonl")))
                .startsWith("earthling: jobs.jsonl:3: unknown job type 'no-such-type'").endsWith("; nothing submitted");

        cluster.cluster.write("broken.jsonl", "{\"type\": \"echo\",\n");
        assertThat(refused(cluster.cli("submit", "--file", "broken.jsonl"))).isEqualTo("earthling: broken.jsonl:1: not valid JSON:"
                + " Unexpected end-of-input within/between Object entries (line 1, column 17); nothing submitted");
    }

    @Test
    void a_manager_address_that_cannot_work_is_one_clear_line_and_a_non_zero_exit() throws Exception {
        assertThat(refused(cluster.cli("jobs", "--manager", "127.0.0.1:99999"))).isEqualTo("earthling: --manager: port 99999 is outside 1-65535");
        assertThat(refused(cluster.cli("jobs", "--manager", "localhost")))
                .isEqualTo("earthling: --manager: expected HOST:PORT, e.g. 127.0.0.1:50051, got \"localhost\"");
        int closed = Cluster.freePort();
        assertThat(refused(cluster.cli("jobs", "--manager", "127.0.0.1:" + closed)))
                .startsWith("earthling: cannot reach the manager at 127.0.0.1:" + closed + ": connection refused");
        assertThat(refused(cluster.cli("jobs", "--manager", "no-such-host.invalid:50051")))
                .isEqualTo("earthling: cannot reach the manager at no-such-host.invalid:50051: unknown host no-such-host.invalid");

        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.start();
        try {
            int port = http.getAddress().getPort();
            Cluster.Run r = cluster.cli("jobs", "--manager", "127.0.0.1:" + port);
            assertThat(refused(r)).isEqualTo("earthling: 127.0.0.1:" + port + " answers, but not as an Earthling manager (gRPC):"
                    + " is it the HTTP port? Give the manager's gRPC port (rpc.manager.port, default 50051)");
            // The JVM's start is in this; before, the same call hung 30 s.
            assertThat(r.took()).as("well under the 30 s it took before").isLessThan(Duration.ofSeconds(20));
        } finally {
            http.stop(0);
        }
    }

    @Test
    void run_now_delete_and_search_say_what_they_did_and_refuse_in_one_line() {
        long done = cluster.client().submit(JobSpec.of("echo", "{\"cli\": \"finished-77\"}"));
        cluster.client().await(List.of(done), Duration.ofMinutes(1));
        assertThat(refused(cluster.cli("run-now", String.valueOf(done))))
                .isEqualTo("earthling: job " + done + " is SUCCEEDED; only a delayed PENDING job can be run now");
        String later = ok("submit", "echo", "--delay", "3600000", "--quiet").out().strip();
        assertThat(ok("run-now", later).out().strip()).startsWith("job " + later + " is due now");

        assertThat(ok("jobs", "--search", "finished-77").out()).contains(done + " ");
        assertThat(ok("jobs", "--search", "nothing-like-this").out().strip())
                .isEqualTo("no jobs with \"nothing-like-this\" in their payload");

        String pending = ok("submit", "echo", "--delay", "3600000", "--quiet").out().strip();
        assertThat(refused(cluster.cli("delete", String.valueOf(done), pending))).isEqualTo("earthling: job " + pending
                + " is PENDING; only finished jobs (SUCCEEDED, DEAD, CANCELLED) can be deleted; nothing deleted");
        assertThat(ok("delete", String.valueOf(done)).out().strip()).isEqualTo("deleted 1 job: [" + done + "]");
        assertThat(ok("delete", "--queue", "nobody-uses-this").out().strip())
                .isEqualTo("no DEAD jobs to delete in queue nobody-uses-this");
        ok("cancel", pending);
    }

    @Test
    void an_unknown_type_names_the_types_users_submit_and_not_the_internal_ones() {
        assertThat(refused(cluster.cli("submit", "no-such-type"))).contains("unknown job type 'no-such-type'")
                .contains("echo").doesNotContain("pipeline-pass").doesNotContain("wordcount-part");
    }

    @Test
    void logs_of_a_dead_job_that_never_logged_say_what_is_true() {
        long id = cluster.client().submit(JobSpec.of("fail", "{\"message\": \"boom\"}").withMaxAttempts(1));
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> cluster.client().get(id).orElseThrow().state() == JobState.DEAD);

        Cluster.Run r = ok("logs", String.valueOf(id));
        assertThat(r.err().strip()).startsWith("earthling: job " + id + " is DEAD and logged nothing in 1 attempt; its error: ")
                .contains("boom");
    }

    @Test
    void every_read_command_prints_json_with_json() throws Exception {
        long id = cluster.client().submit(JobSpec.of("echo", "{\"n\": 7}"));
        cluster.client().await(List.of(id), Duration.ofMinutes(1));

        JsonNode status = JSON.readTree(ok("status", String.valueOf(id), "--json").out());
        assertThat(status.at("/job/result/n").asInt()).as("the result as JSON, not a string").isEqualTo(7);
        assertThat(status.at("/job/state").asText()).isEqualTo("SUCCEEDED");
        assertThat(JSON.readTree(ok("jobs", "--json").out()).isArray()).isTrue();
        assertThat(JSON.readTree(ok("nodes", "--json").out()).get(0).get("status").asText()).isEqualTo("ONLINE");
        assertThat(JSON.readTree(ok("queues", "--json").out()).isArray()).isTrue();
        assertThat(JSON.readTree(ok("schedules", "--json").out()).isArray()).isTrue();
    }

    @Test
    void waiting_for_jobs_into_a_pipe_prints_a_progress_line_every_few_seconds() {
        // Two waves of 4 s jobs at least, whatever the worker count: the wait outlasts a 5 s progress interval.
        Cluster.Run r = ok("submit", "sleep", "--payload", "{\"ms\": 4000}", "--count", "9", "--wait");

        assertThat(r.err()).as("progress goes to standard error").containsPattern("  \\d/9 final \\(\\d succeeded, 0 failed\\), \\d+ jobs/s, \\d+\\.\\d s\n");
        assertThat(r.out()).containsPattern("final: \\{SUCCEEDED=9\\} in \\d+\\.\\d s");
    }

    @Test
    void nodes_watch_into_a_pipe_writes_no_terminal_codes() {
        String out = ok("nodes", "--watch", "--count", "2").out();

        assertThat(out).doesNotContain("\033[").containsPattern("(?s)-- \\d\\d:\\d\\d:\\d\\d\nNODE .*\n\n-- \\d\\d:\\d\\d:\\d\\d\nNODE ");
    }
}

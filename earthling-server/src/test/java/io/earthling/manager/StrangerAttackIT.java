package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.assistant.Assistant;
import io.earthling.assistant.AssistantSettings;
import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.protocol.jobs.WaitRequest;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.ResultAck;
import io.earthling.protocol.manager.ResultBatch;
import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.TypesRequest;
import io.earthling.protocol.worker.WorkBatch;
import io.earthling.protocol.worker.WorkerGrpc;
import io.earthling.worker.WorkerSecret;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, items 5 to 8, replayed as a stranger with plain gRPC stubs and HTTP against a running manager, its
 * HTTP port, and an assistant with two real worker processes: each attack is refused with the right status and
 * leaves the store unchanged, and the legitimate call still works.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StrangerAttackIT {
    private static final InputLimits LIMITS = new InputLimits(50, 3, 1024, 2048, 100, 2_000, 5);
    @TempDir
    static Path dir;
    static Manager manager;
    static Assistant assistant;
    static EarthlingClient client;
    static ManagedChannel channel;
    static List<Integer> workerPorts;
    static int managerPort;
    static int httpPort;

    @BeforeAll
    static void start() {
        managerPort = TestManagers.freePort();
        httpPort = TestManagers.freePort();
        manager = Manager.start(TestManagers.manager(managerPort, TestManagers.h2(dir)).withInputLimits(LIMITS),
                List.of(), Clock.systemUTC(), new HttpSettings("127.0.0.1", httpPort, null, 1 << 20));
        workerPorts = List.of(TestManagers.freePort(), TestManagers.freePort());
        assistant = Assistant.start(new AssistantSettings("127.0.0.1", TestManagers.freePort(), workerPorts, 0,
                List.of("127.0.0.1:" + managerPort), 200, List.of("-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"), List.of("/usr/bin/env"), null, 1));
        client = EarthlingClient.connect("127.0.0.1", managerPort);
        channel = GrpcServers.channel("127.0.0.1:" + managerPort);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> client.nodes().size() == 1
                && client.nodes().get(0).types().contains("fanout"));
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        client.close();
        assistant.close();
        manager.close();
    }

    // ---- item 5: worker stream takeover ----

    @Test
    void a_stranger_on_a_worker_port_is_refused_without_or_with_a_wrong_secret_and_no_job_runs() throws Exception {
        for (int port : workerPorts) {
            ManagedChannel plain = GrpcServers.channel("127.0.0.1:" + port);
            try {
                for (io.grpc.Channel stranger : List.of(plain,
                        ClientInterceptors.intercept(plain, WorkerSecret.presenting("guessed")),
                        ClientInterceptors.intercept(plain, WorkerSecret.presenting(WorkerSecret.fresh())))) {
                    assertThatThrownBy(() -> WorkerGrpc.newBlockingStub(stranger).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .types(TypesRequest.getDefaultInstance())).satisfies(e -> assertCode(e, Status.Code.UNAUTHENTICATED));
                    CompletableFuture<Status> ended = new CompletableFuture<>();
                    List<AnswerBatch> answers = new ArrayList<>();
                    StreamObserver<WorkBatch> work = WorkerGrpc.newStub(stranger).work(new StreamObserver<>() {
                        public void onNext(AnswerBatch b) {
                            answers.add(b);
                        }

                        public void onError(Throwable t) {
                            ended.complete(Status.fromThrowable(t));
                        }

                        public void onCompleted() {
                            ended.complete(Status.OK);
                        }
                    });
                    work.onNext(WorkBatch.newBuilder().addJobs(ExecuteRequest.newBuilder().setJobId(1).setAttempt(1)
                            .setType("command").setPayload(ByteString.copyFromUtf8("{\"command\":\"/usr/bin/env\"}"))).build());
                    assertThat(ended.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(answers).as("no job ran for the stranger").isEmpty();
                }
            } finally {
                plain.shutdownNow();
            }
        }
        // The assistant's own streams were not replaced: its workers still run jobs.
        for (int i = 0; i < 4; i++) {
            assertThat(finished(client.submit(JobSpec.of("echo", "{\"i\":" + i + "}"))).state()).isEqualTo(JobState.SUCCEEDED);
        }
    }

    // ---- item 6: env leak ----

    @Test
    void a_command_job_sees_no_earthling_secret_in_its_environment() {
        JobView j = finished(client.submit(JobSpec.of("command", "{\"command\":\"/usr/bin/env\"}")));
        assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(j.result()).doesNotContain("EARTHLING_").contains("TMPDIR=");
    }

    // ---- item 7: split amplification ----

    @Test
    void an_echo_of_a_split_looking_text_is_just_its_result_and_creates_no_job() {
        String text = "{\"earthling.split\":{\"gather\":\"echo\",\"children\":[{\"type\":\"echo\",\"payload\":{},"
                + "\"queue\":\"bad queue <b>x</b>\"}],\"indexed\":{\"type\":\"echo\",\"count\":20,\"payload\":{}}}}";
        int before = jobCount();
        JobView j = finished(client.submit(JobSpec.of("echo", text)));
        assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(j.result()).isEqualTo(text);
        assertThat(jobCount()).as("only the echo itself").isEqualTo(before + 1);
    }

    @Test
    void a_real_split_over_the_children_cap_or_too_deep_is_refused_and_stores_no_child() {
        int before = jobCount();
        JobView wide = finished(client.submit(JobSpec.of("fanout", "{\"width\":51}")));
        assertThat(wide.state()).isEqualTo(JobState.DEAD);
        assertThat(wide.error()).contains("split refused: 51 children, over the limit of 50 (limits.maxSplitChildren)");
        assertThat(jobCount()).as("no child stored").isEqualTo(before + 1);

        JobView deep = finished(client.submit(JobSpec.of("fanout", "{\"width\":1,\"depth\":5}")));
        assertThat(deep.state()).isEqualTo(JobState.DEAD);
        assertThat(jobCount()).as("three levels of one child each, the fourth refused").isEqualTo(before + 2 + 3);

        JobView ok = finished(client.submit(JobSpec.of("fanout", "{\"width\":5}")));
        assertThat(ok.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(ok.result()).contains("\"sum\":15");
    }

    // ---- item 8: log planting, error caps ----

    @Test
    void logs_from_a_stranger_node_for_a_missing_job_or_another_nodes_attempt_are_not_stored() {
        long running = client.submit(JobSpec.of("sleep", "{\"ms\":3000}"));
        // Reported while it runs on the real node (or, on a slow machine, after it ended: stale either way).
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JobState state = client.get(running).orElseThrow().state();
            return state == JobState.RUNNING || state.isFinal();
        });
        CoordinatorGrpc.CoordinatorBlockingStub coordinator = CoordinatorGrpc.newBlockingStub(channel);
        ResultAck ack = coordinator.withDeadlineAfter(10, TimeUnit.SECONDS).reportResults(ResultBatch.newBuilder()
                .setNodeId("127.0.0.1:9").addOutcomes(planted(running, 1)).addOutcomes(planted(987_654_321L, 1))
                .build());
        assertThat(ack.getAccepted()).isZero();
        assertThat(ack.getStale()).isEqualTo(2);

        JobView j = finished(running);
        assertThat(j.state()).as("the forged outcome did not end it").isEqualTo(JobState.SUCCEEDED);
        assertThat(j.result()).doesNotContain("forged");
        assertThat(client.logs(running)).noneMatch(c -> c.text().contains("planted"));
        try {
            assertThat(client.logs(987_654_321L)).isEmpty();
        } catch (io.earthling.api.EarthlingException e) {
            assertThat(e).hasMessageContaining("987654321"); // no such job: nothing to show, nothing was kept
        }
    }

    @Test
    void a_huge_error_is_cut_to_the_limit() {
        JobView j = finished(client.submit(JobSpec.of("fail", "{\"retryable\":false,\"message\":\""
                + "e".repeat(100_000) + "\"}")));
        assertThat(j.state()).isEqualTo(JobState.DEAD);
        assertThat(j.error().length()).isLessThan(1200);
        assertThat(j.error()).contains("[error cut at 1024 bytes");
    }

    // ---- item 8: metric label cardinality ----

    @Test
    void client_chosen_queue_names_fold_into_other_beyond_the_metric_label_budget() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(client.submit(JobSpec.of("noop", "{}").withQueue("q" + i)));
        }
        ids.forEach(StrangerAttackIT::finished);
        HttpResponse<String> metrics = new HttpCalls(httpPort, null).get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        Set<String> queues = new TreeSet<>();
        Matcher m = Pattern.compile("earthling_jobs_submitted_total\\{queue=\"([^\"]*)\"").matcher(metrics.body());
        while (m.find()) {
            queues.add(m.group(1));
        }
        assertThat(queues).hasSizeLessThanOrEqualTo(LIMITS.maxMetricLabels() + 1).contains("other");
        Set<String> gauges = new TreeSet<>();
        Matcher g = Pattern.compile("earthling_queue_paused\\{queue=\"([^\"]*)\"").matcher(metrics.body());
        while (g.find()) {
            gauges.add(g.group(1));
        }
        assertThat(gauges).hasSizeLessThanOrEqualTo(InputLimits.DEFAULT.maxMetricLabels() + 1);
    }

    // ---- item 8: oversized inputs ----

    @Test
    void a_wait_for_too_many_ids_is_refused_and_a_long_wait_is_cut_to_the_limit() {
        JobsGrpc.JobsBlockingStub jobs = JobsGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        WaitRequest many = WaitRequest.newBuilder().addAllIds(LongStream.rangeClosed(1, 101).boxed().toList())
                .setTimeoutMs(1000).build();
        assertThatThrownBy(() -> jobs.wait(many)).satisfies(e -> assertCode(e, Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("limits.maxWaitIds");

        long slow = client.submit(JobSpec.of("sleep", "{\"ms\":8000}"));
        long start = System.nanoTime();
        var answer = JobsGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .wait(WaitRequest.newBuilder().addIds(slow).setTimeoutMs(3_600_000).build());
        assertThat(answer.getPendingList()).containsExactly(slow);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut to limits.maxWaitMs").isLessThan(Duration.ofSeconds(20));
        client.cancel(slow);
    }

    @Test
    void a_delay_of_two_to_the_63_is_refused_and_stores_nothing() {
        int before = jobCount();
        JobsGrpc.JobsBlockingStub jobs = JobsGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        for (long delay : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1_000_000}) {
            assertThatThrownBy(() -> jobs.submit(SubmitRequest.newBuilder().setType("echo").setDelayMs(delay)
                    .setPayload(ByteString.copyFromUtf8("{}")).build()))
                    .satisfies(e -> assertCode(e, Status.Code.INVALID_ARGUMENT)).hasMessageContaining("at most");
        }
        assertThat(jobCount()).isEqualTo(before);
        long delayed = jobs.submit(SubmitRequest.newBuilder().setType("echo").setDelayMs(3_600_000)
                .setPayload(ByteString.copyFromUtf8("{}")).build()).getId();
        assertThat(client.get(delayed).orElseThrow().state()).isEqualTo(JobState.PENDING);
        client.cancel(delayed);
    }

    // ---- item 3: tokens on a plaintext port (laptop mode) ----

    @Test
    void on_plaintext_a_token_sent_is_still_checked_and_a_call_without_one_is_let_through() {
        String reader = client.createToken("plain-reader", List.of("read"), null).token();
        int before = client.list(null, 1000).size();
        try (EarthlingClient guesser = EarthlingClient.connect("127.0.0.1", managerPort, null, "et_" + "B".repeat(43));
             EarthlingClient asReader = EarthlingClient.connect("127.0.0.1", managerPort, null, reader)) {
            assertThatThrownBy(() -> guesser.submit(JobSpec.of("echo", "{}")))
                    .satisfies(e -> assertCode(e, Status.Code.UNAUTHENTICATED)).hasMessageContaining("unknown token");
            assertThatThrownBy(() -> asReader.submit(JobSpec.of("echo", "{}")))
                    .satisfies(e -> assertCode(e, Status.Code.PERMISSION_DENIED))
                    .hasMessageContaining("earthling:token:plain-reader may not call earthling.jobs.Jobs/Submit");
            assertThat(client.list(null, 1000)).as("nothing stored").hasSize(before);
            assertThat(asReader.nodes()).hasSize(1);

            HttpCalls http = new HttpCalls(httpPort, "et_" + "B".repeat(43));
            assertThat(http.get("/api/jobs").statusCode()).as("a bad token is refused even here").isEqualTo(401);
            assertThat(new HttpCalls(httpPort, reader).post("/api/jobs", "{\"type\": \"echo\"}").statusCode())
                    .isEqualTo(403);
            assertThat(client.list(null, 1000)).hasSize(before);
        } finally {
            client.revokeToken("plain-reader");
        }
        assertThat(finished(client.submit(JobSpec.of("echo", "{}"))).state()).as("laptop mode: no token needed")
                .isEqualTo(JobState.SUCCEEDED);
    }

    // ---- item 8: HTTP ----

    @Test
    void a_rebound_host_name_is_refused_and_a_loopback_one_is_served() throws IOException {
        assertThat(rawGet("/api/jobs", "evil.example:" + httpPort)).startsWith("HTTP/1.1 403");
        assertThat(rawGet("/api/jobs", "127.0.0.1.evil.example")).startsWith("HTTP/1.1 403");
        assertThat(rawGet("/", "evil.example")).startsWith("HTTP/1.1 403");
        assertThat(rawGet("/api/jobs", "127.0.0.1:" + httpPort)).startsWith("HTTP/1.1 200");
        assertThat(rawGet("/api/jobs", "localhost:" + httpPort)).startsWith("HTTP/1.1 200");
    }

    @Test
    void every_answer_carries_the_security_headers() {
        HttpCalls http = new HttpCalls(httpPort, null);
        for (String path : List.of("/", "/api/jobs", "/metrics", "/no/such/page")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(
                    csp -> assertThat(csp).contains("frame-ancestors 'none'", "default-src 'self'"));
        }
    }

    // ---- helpers ----

    private static JobOutcome planted(long jobId, int attempt) {
        return JobOutcome.newBuilder().setJobId(jobId).setAttempt(attempt).setStatus(JobOutcome.Status.SUCCEEDED)
                .setResult(ByteString.copyFromUtf8("{\"forged\":true}")).setLog("planted " + "x".repeat(10_000))
                .setWorker("stranger").build();
    }

    /** The job once final; {@code Wait} answers within limits.maxWaitMs, so it is asked again until then. */
    private static JobView finished(long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            List<JobView> done = client.await(List.of(id), Duration.ofSeconds(30));
            if (!done.isEmpty()) {
                return done.get(0);
            }
        }
        throw new AssertionError("job " + id + " not final within 90 s: " + client.get(id));
    }

    private static int jobCount() {
        return client.list(null, 100_000, true).size();
    }

    private static void assertCode(Throwable e, Status.Code code) {
        assertThat(e).isInstanceOfAny(StatusRuntimeException.class, io.earthling.api.EarthlingException.class);
        assertThat(Status.fromThrowable(e).getCode() == code || String.valueOf(e.getMessage()).contains(code.name()))
                .as("%s is %s", e, code).isTrue();
    }

    /** A GET with the Host header a browser would send after DNS rebinding; the status line and headers. */
    private static String rawGet(String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", httpPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            return in.readLine();
        }
    }
}

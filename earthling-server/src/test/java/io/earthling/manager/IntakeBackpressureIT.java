package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.assistant.Assistant;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.SubmitBatchRequest;
import io.earthling.protocol.jobs.SubmitBatchResponse;
import io.earthling.protocol.jobs.SubmitRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake pushes back instead of growing the heap: while the writer cannot commit (here: another session holds the
 * lease row its fenced transaction must lock) and more than {@code limits.maxQueuedInserts} new jobs wait, a
 * submission is refused with RESOURCE_EXHAUSTED (HTTP 429), nothing stored; the Java client retries until it is
 * accepted, and every accepted job is stored and runs.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IntakeBackpressureIT {
    @TempDir
    Path dir;

    @Test
    void a_full_writer_refuses_submissions_for_now_and_the_client_retries_until_they_are_stored() throws Exception {
        int port = TestManagers.freePort();
        String url = TestManagers.h2(dir);
        ManagerSettings base = TestManagers.manager(port, url);
        // A lease long enough to outlast the held lock; at most 5 new jobs may wait for the writer.
        ManagerSettings s = new ManagerSettings(base.address(), port, url, null, null, 2, base.heartbeatMs(),
                base.nodeGraceMs(), base.reconcileGraceMs(), base.sweepMs(), 30_000, base.maxPayloadBytes(),
                base.maxBatch(), 0, 0, 1.0, Map.of(), Map.of()).withMaxQueuedInserts(5);
        try (Manager m = Manager.start(s, List.of(), Clock.systemUTC(),
                new HttpSettings("127.0.0.1", TestManagers.freePort(), null, 1 << 20));
             Assistant a = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, 2));
             EarthlingClient client = EarthlingClient.connect("127.0.0.1", port)) {
            HttpCalls http = new HttpCalls(m.httpPort(), null);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.nodes().size() == 1);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            JobsGrpc.JobsFutureStub raw = JobsGrpc.newFutureStub(channel);
            List<CompletableFuture<List<Long>>> accepted = new ArrayList<>();
            CompletableFuture<Long> retried;
            // Held for a few seconds at most: under H2's lock timeout (10 s), after which the writer gives up.
            try (Connection holder = DriverManager.getConnection(url)) {
                holder.setAutoCommit(false);
                try (Statement st = holder.createStatement()) {
                    st.executeQuery("SELECT epoch FROM manager_lease WHERE name = 'leader' FOR UPDATE").close();
                }
                // The writer is stuck on the lock: submissions pile up until one is refused.
                StatusRuntimeException refused = null;
                for (int i = 0; i < 20 && refused == null; i++) {
                    CompletableFuture<List<Long>> call = submit(raw, 1);
                    try {
                        call.get(150, TimeUnit.MILLISECONDS);
                        throw new AssertionError("stored while the writer could not commit");
                    } catch (java.util.concurrent.TimeoutException waiting) {
                        accepted.add(call); // handed to the writer: it waits for the lock
                    } catch (ExecutionException e) {
                        refused = (StatusRuntimeException) e.getCause();
                    }
                }
                assertThat(refused).as("refused once more than 5 jobs wait").isNotNull();
                assertThat(accepted).as("5 jobs were handed to the writer before").hasSize(5);
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(refused.getStatus().getDescription()).contains("limits.maxQueuedInserts 5")
                        .contains("nothing was stored");

                HttpResponse<String> r = http.post("/api/jobs", "{\"type\": \"noop\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();

                double before = refusals(http);
                retried = CompletableFuture.supplyAsync(() -> client.submit(JobSpec.of("noop", "{}")));
                await().atMost(Duration.ofSeconds(10)).until(() -> refusals(http) > before);
                assertThat(retried).as("the client waits and tries again").isNotDone();
                holder.rollback();
            }

            long id = retried.get(30, TimeUnit.SECONDS);
            List<Long> ids = new ArrayList<>(List.of(id));
            for (CompletableFuture<List<Long>> call : accepted) {
                ids.addAll(call.get(30, TimeUnit.SECONDS));
            }
            channel.shutdownNow();
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                    .allMatch(j -> client.get(j).orElseThrow().state() == JobState.SUCCEEDED));
            assertThat(storedJobs(url)).as("every accepted job stored once, nothing from a refusal")
                    .isEqualTo(ids.size());
        }
    }

    private static CompletableFuture<List<Long>> submit(JobsGrpc.JobsFutureStub raw, int jobs) {
        SubmitBatchRequest.Builder b = SubmitBatchRequest.newBuilder();
        for (int i = 0; i < jobs; i++) {
            b.addJobs(SubmitRequest.newBuilder().setType("noop"));
        }
        CompletableFuture<List<Long>> f = new CompletableFuture<>();
        com.google.common.util.concurrent.ListenableFuture<SubmitBatchResponse> call =
                raw.withDeadlineAfter(60, TimeUnit.SECONDS).submitBatch(b.build());
        call.addListener(() -> {
            try {
                f.complete(call.get().getIdsList());
            } catch (ExecutionException e) {
                f.completeExceptionally(e.getCause());
            } catch (InterruptedException e) {
                f.completeExceptionally(e);
            }
        }, Runnable::run);
        return f;
    }

    private static double refusals(HttpCalls http) {
        return PrometheusText.parse(http.get("/metrics").body())
                .value("earthling_intake_refused_total", Map.of("reason", "writer_full"));
    }

    private static int storedJobs(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM jobs")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

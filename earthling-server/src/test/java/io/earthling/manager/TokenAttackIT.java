package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.earthling.api.ClientTls;
import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.TokenView;
import io.earthling.assistant.Assistant;
import io.earthling.grpc.ClientRoles;
import io.earthling.grpc.ClusterCa;
import io.earthling.grpc.Identity;
import io.earthling.grpc.TlsFiles;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.manager.RegisterRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 3, replayed as a stranger against a manager with TLS on its gRPC port, http.token on its HTTP port
 * and its job table in PostgreSQL: clients hold no certificate, only tokens. A token without the role, a revoked or
 * expired token, and an ended dashboard session are refused with the right status and leave the store unchanged;
 * with the right token each legitimate call still works.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TokenAttackIT {
    private static final String BOOTSTRAP = "bootstrap-secret-for-token-it";
    private static final Duration SESSION_TTL = Duration.ofSeconds(3);
    @TempDir
    static Path dir;
    static String storeUrl;
    static Manager manager;
    static Assistant assistant;
    static EarthlingClient admin;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        ClusterCa ca = ClusterCa.create(dir, "test", Duration.ofDays(1), Clock.systemUTC());
        ca.issue(Identity.manager(), List.of("127.0.0.1"), Duration.ofDays(1), dir, "manager");
        storeUrl = TestManagers.postgres();
        port = TestManagers.freePort();
        manager = Manager.start(TestManagers.manager(port, storeUrl), List.of(), Clock.systemUTC(),
                new HttpSettings("127.0.0.1", TestManagers.freePort(), BOOTSTRAP, 1 << 20, SESSION_TTL),
                new TlsFiles(dir.resolve("ca.crt"), dir.resolve("manager.crt"), dir.resolve("manager.key"), 60),
                ClientRoles.everyone());
        admin = client(BOOTSTRAP);
        await().atMost(Duration.ofSeconds(30)).until(manager::isLeader);
        int assistantPort = TestManagers.freePort();
        ca.issue(Identity.assistant("127.0.0.1:" + assistantPort), List.of("127.0.0.1"), Duration.ofDays(1), dir,
                "assistant");
        assistant = Assistant.start(TestManagers.assistant(assistantPort, port, 1), new TlsFiles(dir.resolve("ca.crt"),
                dir.resolve("assistant.crt"), dir.resolve("assistant.key"), 60));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.nodes().size() == 1
                && admin.nodes().get(0).types().contains("sleep"));
    }

    @AfterAll
    static void stop() {
        admin.close();
        assistant.close();
        manager.close();
    }

    /** A job that waits an hour before it may run: it stays PENDING while the test looks at it. */
    private static JobSpec later() {
        return JobSpec.of("sleep", "{\"ms\": 1}").withDelay(Duration.ofHours(1));
    }

    /** A client without a certificate that checks the manager against the CA and sends {@code token}. */
    private static EarthlingClient client(String token) {
        return EarthlingClient.connect("127.0.0.1", port, ClientTls.caOnly(dir.resolve("ca.crt")), token);
    }

    private static HttpCalls http(String token) {
        return new HttpCalls(manager.httpPort(), token);
    }

    private static int jobCount() {
        return admin.list(null, 1000).size();
    }

    private static void refused(String code, org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String says) {
        assertThatThrownBy(call).isInstanceOf(EarthlingException.class)
                .hasMessageStartingWith("refused (" + code + "): ").hasMessageContaining(says);
    }

    @Test
    void without_a_certificate_or_token_every_call_is_unauthenticated_and_the_bootstrap_secret_is_admin() {
        try (EarthlingClient stranger = client(null); EarthlingClient guesser = client("et_" + "A".repeat(43))) {
            refused("UNAUTHENTICATED", () -> stranger.list(null, 10), "and no token (authorization: Bearer TOKEN");
            refused("UNAUTHENTICATED", () -> guesser.submit(later()), "token refused: unknown token");
            refused("UNAUTHENTICATED", () -> guesser.createToken("mine", List.of("admin"), null), "unknown token");
        }
        assertThat(admin.tokens().stream().map(TokenView::name)).doesNotContain("mine");
        assertThat(http(null).get("/api/jobs").statusCode()).isEqualTo(401);
        assertThat(http("et_" + "A".repeat(43)).get("/api/jobs").statusCode()).isEqualTo(401);
        assertThat(http(BOOTSTRAP).get("/api/jobs").statusCode()).isEqualTo(200);
    }

    @Test
    void a_token_without_the_role_is_permission_denied_on_grpc_and_403_on_http_and_the_store_is_unchanged() {
        String reader = admin.createToken("attack-reader", List.of("read"), null).token();
        String ci = admin.createToken("attack-ci", List.of("submit", "read"), null).token();
        try (EarthlingClient asReader = client(reader); EarthlingClient asCi = client(ci)) {
            int before = jobCount();
            refused("PERMISSION_DENIED", () -> asReader.submit(later()),
                    "earthling:token:attack-reader may not call earthling.jobs.Jobs/Submit: it needs the role submit"
                            + " (has read)");
            HttpResponse<String> post = http(reader).post("/api/jobs", "{\"type\": \"sleep\"}");
            assertThat(post.statusCode()).isEqualTo(403);
            assertThat(HttpCalls.json(post).get("detail").asText()).isEqualTo("earthling:token:attack-reader may not"
                    + " call POST /api/jobs: it needs the role submit (has read)");
            refused("PERMISSION_DENIED", () -> asReader.createToken("escalate", List.of("admin"), null),
                    "it needs the role admin (has read)");
            assertThat(jobCount()).as("nothing was stored").isEqualTo(before);

            long id = asCi.submit(later());
            assertThat(http(ci).post("/api/jobs", "{\"type\": \"sleep\", \"payload\": {\"ms\": 1}}").statusCode())
                    .isEqualTo(201);
            assertThat(asReader.get(id)).isPresent();
            assertThat(http(reader).get("/api/jobs/" + id).statusCode()).isEqualTo(200);

            refused("PERMISSION_DENIED", () -> asCi.cancel(id), "needs the role operate (has read, submit)");
            assertThat(http(ci).post("/api/jobs/" + id + "/cancel", null).statusCode()).isEqualTo(403);
            assertThat(http(ci).delete("/api/jobs/" + id).statusCode()).isEqualTo(403);
            assertThat(admin.get(id).orElseThrow().state()).as("still waiting, not cancelled")
                    .isEqualTo(JobState.PENDING);
            assertThat(jobCount()).isEqualTo(before + 2);
            HttpResponse<String> login = http(null).post("/login", "{\"token\": \"" + submitOnly() + "\"}");
            assertThat(login.statusCode()).as("the dashboard needs read").isEqualTo(403);
            assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();

            assertThat(admin.cancel(id).state()).as("with the role it works").isEqualTo(JobState.CANCELLED);
        }
    }

    @Test
    void a_token_opens_the_client_api_only_never_the_assistants() throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + BOOTSTRAP);
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, TlsChannelCredentials.newBuilder()
                .trustManager(dir.resolve("ca.crt").toFile()).build())
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
        try {
            assertThatThrownBy(() -> CoordinatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .register(RegisterRequest.newBuilder().setNodeId("127.0.0.9:1").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).contains("a token opens the client API only");
                    });
            assertThat(admin.nodes()).as("no node registered").noneMatch(n -> n.id().equals("127.0.0.9:1"));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void a_revoked_token_is_unauthenticated_on_grpc_401_on_http_and_its_dashboard_session_ends() {
        String ops = admin.createToken("attack-revoked", List.of("operate", "read"), null).token();
        String cookie = signIn(ops);
        try (EarthlingClient asOps = client(ops)) {
            assertThat(asOps.list(null, 1)).isNotNull();
            assertThat(withCookie(cookie, "/api/jobs").statusCode()).isEqualTo(200);

            TokenView revoked = admin.revokeToken("attack-revoked");
            assertThat(revoked.revoked()).isNotNull();

            int before = jobCount();
            refused("UNAUTHENTICATED", () -> asOps.list(null, 1), "token refused: token attack-revoked was revoked");
            assertThat(http(ops).post("/api/queues/default/pause", null).statusCode()).isEqualTo(401);
            HttpResponse<String> session = withCookie(cookie, "/api/jobs");
            assertThat(session.statusCode()).isEqualTo(401);
            assertThat(HttpCalls.json(session).get("detail").asText()).contains("sign in again");
            assertThat(http(null).post("/login", "{\"token\": \"" + ops + "\"}").statusCode()).isEqualTo(401);
            assertThat(jobCount()).isEqualTo(before);
            assertThat(admin.queues().stream().filter(q -> q.name().equals("default")).noneMatch(q -> q.paused()))
                    .isTrue();
        }
    }

    @Test
    void an_expired_token_is_unauthenticated() {
        String brief = admin.createToken("attack-brief", List.of("read"), Duration.ofSeconds(1)).token();
        try (EarthlingClient asBrief = client(brief)) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    refused("UNAUTHENTICATED", () -> asBrief.list(null, 1), "token attack-brief expired at"));
            assertThat(http(brief).get("/api/jobs").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void a_dashboard_session_expires_after_its_ttl_and_signing_out_ends_it_on_the_server() {
        String viewer = admin.createToken("attack-viewer", List.of("read"), null).token();
        String expiring = signIn(viewer);
        assertThat(expiring).doesNotContain(viewer.substring(3));
        assertThat(withCookie(expiring, "/api/jobs").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> withCookie(expiring, "/api/jobs").statusCode() == 401);
        HttpResponse<String> page = withCookie(expiring, "/");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).as("back to the sign-in form").contains("id=\"login\"");

        String signedOut = signIn(viewer);
        HttpCalls browser = http(null);
        assertThat(browser.send(browser.request("/logout").header("Cookie", signedOut)
                .header("X-Earthling-Request", "1").POST(java.net.http.HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(204);
        assertThat(withCookie(signedOut, "/api/jobs").statusCode()).as("replaying the old cookie").isEqualTo(401);
        HttpResponse<String> forged = browser.send(browser.request("/api/jobs").header("Cookie", signedOut)
                .header("X-Earthling-Request", "1").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\": \"sleep\"}")));
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void the_tokens_table_holds_digests_never_a_token() throws Exception {
        String secret = admin.createToken("attack-stored", List.of("read"), null).token();
        try (Connection c = DriverManager.getConnection(storeUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM api_tokens WHERE name = 'attack-stored'")) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(rs.getObject(i))).as(rs.getMetaData().getColumnName(i))
                        .doesNotContain(secret.substring(3));
            }
            assertThat(rs.getString("digest")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        assertThat(admin.tokens()).anySatisfy(t -> assertThat(t.name()).isEqualTo("attack-stored"));
    }

    private static String submitOnly() {
        return admin.createToken("attack-submit-only", List.of("submit"), null).token();
    }

    /** Signs in to the dashboard with {@code token}; returns the cookie ({@code name=value}). */
    private static String signIn(String token) {
        HttpResponse<String> login = http(null).post("/login", "{\"token\": \"" + token + "\"}");
        assertThat(login.statusCode()).isEqualTo(204);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict")
                .contains("Max-Age=" + SESSION_TTL.toSeconds()).doesNotContain(token);
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> withCookie(String cookie, String path) {
        HttpCalls browser = http(null);
        return browser.send(browser.request(path).header("Cookie", cookie).GET());
    }
}

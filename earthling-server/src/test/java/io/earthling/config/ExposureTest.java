package io.earthling.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.grpc.TlsFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Secure by default beyond loopback; laptop mode and 127.0.0.x clusters need nothing. */
class ExposureTest {
    private static final EarthlingConfig.Security PLAIN = EarthlingConfig.Security.NONE;
    private static final EarthlingConfig.Security INSECURE = new EarthlingConfig.Security(null, true);
    private static final EarthlingConfig.Security TLS = new EarthlingConfig.Security(
            new TlsFiles(Path.of("ca.crt"), Path.of("m.crt"), Path.of("m.key"), 60), false);

    @Test
    void rpc_beyond_loopback_needs_tls_or_the_explicit_opt_out() {
        assertThat(Exposure.rpc("rpc.manager", "127.0.0.1", PLAIN)).isEmpty();
        assertThat(Exposure.rpc("rpc.manager", "127.0.0.3", PLAIN)).isEmpty();
        assertThat(Exposure.rpc("rpc.manager", "::1", PLAIN)).isEmpty();
        assertThat(Exposure.rpc("rpc.manager", "localhost", PLAIN)).isEmpty();
        assertThat(Exposure.rpc("rpc.manager", "0.0.0.0", PLAIN)).get().asString()
                .startsWith("rpc.manager: 0.0.0.0 is reachable beyond this host and TLS is off: set tls.ca, tls.cert")
                .contains("--insecure", "security.insecure: true");
        assertThat(Exposure.rpc("rpc.assistant 10.1.2.3:50052", "10.1.2.3", PLAIN)).isPresent();
        assertThat(Exposure.rpc("rpc.manager", "0.0.0.0", TLS)).isEmpty();
        assertThat(Exposure.rpc("rpc.manager", "0.0.0.0", INSECURE)).isEmpty();
    }

    @Test
    void http_beyond_loopback_needs_a_token_or_the_explicit_opt_out() {
        assertThat(Exposure.http("127.0.0.1", null, PLAIN)).isEmpty();
        assertThat(Exposure.http("0.0.0.0", null, PLAIN)).get().asString().contains("http.token");
        assertThat(Exposure.http("0.0.0.0", null, TLS)).as("TLS is for gRPC; HTTP needs its token").isPresent();
        assertThat(Exposure.http("0.0.0.0", "0123456789abcdef", PLAIN)).isEmpty();
        assertThat(Exposure.http("0.0.0.0", null, INSECURE)).isEmpty();
    }

    @Test
    void the_tls_keys_go_together_and_security_insecure_is_a_boolean() {
        EarthlingConfig c = ConfigLoader.load(null, java.util.Map.of("EARTHLING_TLS_CA", "/c/ca.crt",
                "EARTHLING_TLS_CERT", "/c/m.crt", "EARTHLING_TLS_KEY", "/c/m.key"));
        assertThat(c.security().tls()).isEqualTo(new TlsFiles(Path.of("/c/ca.crt"), Path.of("/c/m.crt"),
                Path.of("/c/m.key"), TlsFiles.DEFAULT_RELOAD_SECONDS));
        assertThat(EarthlingConfig.defaults().security()).isEqualTo(PLAIN);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null,
                java.util.Map.of("EARTHLING_TLS_CA", "/c/ca.crt"))).hasMessageContaining("tls.cert")
                .hasMessageContaining("go together");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null,
                java.util.Map.of("EARTHLING_SECURITY_INSECURE", "yes"))).hasMessageContaining("security.insecure");
        assertThat(ConfigLoader.load(null, java.util.Map.of("EARTHLING_SECURITY_INSECURE", "true")).security().insecure())
                .isTrue();
    }

    @Test
    void security_clients_grants_known_roles_by_client_name(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path ok = java.nio.file.Files.writeString(dir.resolve("ok.yaml"),
                "security: { clients: { alice: [admin], ci: [submit, read] } }\n");
        io.earthling.grpc.ClientRoles roles = ConfigLoader.load(ok, java.util.Map.of()).security().clients();
        assertThat(roles.refusal("ci", "earthling.jobs.Jobs/Submit")).isEmpty();
        assertThat(roles.refusal("ci", "earthling.jobs.Jobs/Cancel")).isPresent();
        assertThat(roles.refusal("bob", "earthling.jobs.Jobs/Get")).isPresent();
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.yaml"), "security: { clients: { ci: [root] } }\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(bad, java.util.Map.of()))
                .hasMessageContaining("security.clients.ci").hasMessageContaining("not a role: \"root\"");
    }
}

package io.earthling.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table of who may call what once TLS is on. */
class CallerRulesTest {
    private static final Identity MANAGER = Identity.manager();
    private static final Identity NODE_A = Identity.assistant("10.0.0.2:50052");
    private static final Identity ALICE = Identity.client("alice");

    private static String verdict(CallerRules rules, Identity who, String method) {
        return rules.call(Optional.ofNullable(who), method)
                .map(r -> r.unauthenticated() ? "UNAUTHENTICATED" : "PERMISSION_DENIED").orElse("OK");
    }

    @Test
    void the_managers_port_serves_assistants_on_coordinator_and_clients_on_the_client_services() {
        CallerRules m = CallerRules.manager();
        assertThat(verdict(m, NODE_A, "earthling.manager.Coordinator/Register")).isEqualTo("OK");
        assertThat(verdict(m, ALICE, "earthling.manager.Coordinator/Register")).isEqualTo("PERMISSION_DENIED");
        assertThat(verdict(m, MANAGER, "earthling.manager.Coordinator/ReportResults")).isEqualTo("PERMISSION_DENIED");
        assertThat(verdict(m, ALICE, "earthling.jobs.Jobs/Submit")).isEqualTo("OK");
        assertThat(verdict(m, ALICE, "earthling.logs.JobLogs/Follow")).isEqualTo("OK");
        assertThat(verdict(m, ALICE, "earthling.pipelines.Pipelines/Status")).isEqualTo("OK");
        assertThat(verdict(m, NODE_A, "earthling.jobs.Jobs/Submit")).isEqualTo("PERMISSION_DENIED");
        assertThat(verdict(m, ALICE, "grpc.health.v1.Health/Check")).isEqualTo("PERMISSION_DENIED");
        assertThat(verdict(m, null, "earthling.jobs.Jobs/Submit")).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void an_assistants_port_serves_the_manager_and_lets_clients_read_the_idle_count_only() {
        CallerRules a = CallerRules.assistant();
        for (String m : new String[] {"Earthling/Deliver", "Earthling/Cancel", "Earthling/Drain", "Earthling/JobLog"}) {
            assertThat(verdict(a, MANAGER, m)).as(m).isEqualTo("OK");
            assertThat(verdict(a, ALICE, m)).as(m).isEqualTo("PERMISSION_DENIED");
            assertThat(verdict(a, NODE_A, m)).as(m).isEqualTo("PERMISSION_DENIED");
        }
        assertThat(verdict(a, ALICE, "Earthling/ReportIdleWorker")).isEqualTo("OK");
        assertThat(verdict(a, NODE_A, "Earthling/ReportIdleWorker")).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void an_assistant_speaks_only_for_its_own_node_and_without_tls_nothing_is_checked() {
        assertThat(CallerRules.speaksFor(NODE_A, "10.0.0.2:50052")).isEmpty();
        assertThat(CallerRules.speaksFor(NODE_A, "10.0.0.3:50052")).get()
                .extracting(CallerRules.Refused::message).isEqualTo(
                        "earthling:assistant:10.0.0.2:50052 may not speak for node 10.0.0.3:50052");
        assertThat(CallerRules.speaksFor(ALICE, "alice")).isPresent();
        assertThat(CallerRules.speaksFor(MANAGER, "10.0.0.2:50052")).isPresent();
        assertThat(CallerRules.speaksFor(null, "10.0.0.3:50052")).isEmpty();
    }

    @Test
    void identities_round_trip_through_their_uri_and_nothing_else_parses() {
        for (Identity i : new Identity[] {MANAGER, NODE_A, ALICE}) {
            assertThat(Identity.parse(i.uri())).contains(i);
        }
        assertThat(NODE_A.uri()).isEqualTo("earthling:assistant:10.0.0.2:50052");
        assertThat(Identity.parse("earthling:root")).isEmpty();
        assertThat(Identity.parse("earthling:manager:extra")).isEmpty();
        assertThat(Identity.parse("earthling:client:")).isEmpty();
        assertThat(Identity.parse("spiffe://x/manager")).isEmpty();
        assertThat(Identity.parse(null)).isEmpty();
    }
}

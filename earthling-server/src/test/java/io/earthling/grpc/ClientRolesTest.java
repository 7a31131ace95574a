package io.earthling.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.grpc.ClientRoles.Role;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client API's roles as a table: which method needs which role, and what a grant allows. */
class ClientRolesTest {
    @Test
    void every_client_method_needs_one_role() {
        Map<String, Role> table = Map.ofEntries(
                Map.entry("earthling.jobs.Jobs/Submit", Role.SUBMIT),
                Map.entry("earthling.jobs.Jobs/SubmitBatch", Role.SUBMIT),
                Map.entry("earthling.jobs.Jobs/Get", Role.READ),
                Map.entry("earthling.jobs.Jobs/List", Role.READ),
                Map.entry("earthling.jobs.Jobs/Wait", Role.READ),
                Map.entry("earthling.jobs.Jobs/Nodes", Role.READ),
                Map.entry("earthling.jobs.Jobs/Queues", Role.READ),
                Map.entry("earthling.jobs.Jobs/Events", Role.READ),
                Map.entry("earthling.jobs.Jobs/ListSchedules", Role.READ),
                Map.entry("earthling.logs.JobLogs/Get", Role.READ),
                Map.entry("earthling.logs.JobLogs/Follow", Role.READ),
                Map.entry("earthling.pipelines.Pipelines/Status", Role.READ),
                Map.entry("earthling.jobs.Jobs/Cancel", Role.OPERATE),
                Map.entry("earthling.jobs.Jobs/Retry", Role.OPERATE),
                Map.entry("earthling.jobs.Jobs/Drain", Role.OPERATE),
                Map.entry("earthling.jobs.Jobs/PauseQueue", Role.OPERATE),
                Map.entry("earthling.jobs.Jobs/CreateSchedule", Role.OPERATE),
                Map.entry("earthling.jobs.Jobs/DeleteSchedule", Role.OPERATE),
                Map.entry("earthling.pipelines.Pipelines/Cancel", Role.OPERATE),
                Map.entry("earthling.jobs.Jobs/RunNow", Role.OPERATE),
                Map.entry("earthling.jobs.Jobs/DeleteJobs", Role.ADMIN),
                Map.entry("earthling.jobs.Jobs/Purge", Role.ADMIN),
                Map.entry("earthling.tokens.Tokens/Create", Role.ADMIN),
                Map.entry("earthling.tokens.Tokens/Revoke", Role.ADMIN),
                Map.entry("earthling.jobs.Jobs/SomethingNew", Role.ADMIN));
        table.forEach((method, role) -> assertThat(ClientRoles.needs(method)).as(method).isEqualTo(role));
    }

    @Test
    void a_grant_allows_its_roles_admin_allows_all_and_an_unlisted_client_nothing() {
        ClientRoles roles = ClientRoles.granted(Map.of("ci", EnumSet.of(Role.SUBMIT, Role.READ), "ops", Set.of(Role.ADMIN),
                "viewer", Set.of(Role.READ)));
        assertThat(roles.refusal("ci", "earthling.jobs.Jobs/Submit")).isEmpty();
        assertThat(roles.refusal("ci", "earthling.jobs.Jobs/Wait")).isEmpty();
        assertThat(roles.refusal("ci", "earthling.jobs.Jobs/Cancel")).contains("earthling:client:ci may not call"
                + " earthling.jobs.Jobs/Cancel: it needs the role operate (has read, submit)");
        assertThat(roles.refusal("viewer", "earthling.jobs.Jobs/Submit")).isPresent();
        assertThat(roles.refusal("viewer", "earthling.logs.JobLogs/Follow")).isEmpty();
        assertThat(roles.refusal("ops", "earthling.jobs.Jobs/Drain")).isEmpty();
        assertThat(roles.refusal("ops", "earthling.jobs.Jobs/SomethingNew")).isEmpty();
        assertThat(roles.refusal("stranger", "earthling.jobs.Jobs/Get")).contains("earthling:client:stranger may not call"
                + " earthling.jobs.Jobs/Get: it needs the role read (has none (not in security.clients))");
        assertThat(ClientRoles.everyone().refusal("anyone", "earthling.jobs.Jobs/Drain")).isEmpty();
    }

    @Test
    void the_managers_port_checks_a_clients_roles_after_its_certificates_role() {
        CallerRules rules = CallerRules.manager(ClientRoles.granted(Map.of("viewer", Set.of(Role.READ))));
        assertThat(rules.call(Optional.of(Identity.client("viewer")), "earthling.jobs.Jobs/List")).isEmpty();
        assertThat(rules.call(Optional.of(Identity.client("viewer")), "earthling.jobs.Jobs/Submit")).get()
                .satisfies(r -> assertThat(r.unauthenticated()).isFalse());
        assertThat(rules.call(Optional.of(Identity.assistant("10.0.0.2:1")), "earthling.manager.Coordinator/Register"))
                .isEmpty();
    }

    @Test
    void a_tokens_principal_may_call_the_client_api_as_its_roles_allow_and_nothing_of_the_assistants() {
        CallerRules rules = CallerRules.manager();
        Principal ci = Principal.token("ci", EnumSet.of(Role.SUBMIT, Role.READ));

        assertThat(rules.callWithToken(ci, "earthling.jobs.Jobs/Submit")).isEmpty();
        assertThat(rules.callWithToken(ci, "earthling.logs.JobLogs/Follow")).isEmpty();
        assertThat(rules.callWithToken(ci, "earthling.jobs.Jobs/Cancel")).hasValueSatisfying(r -> {
            assertThat(r.unauthenticated()).isFalse();
            assertThat(r.message()).isEqualTo("earthling:token:ci may not call earthling.jobs.Jobs/Cancel: it needs the"
                    + " role operate (has read, submit)");
        });
        assertThat(rules.callWithToken(ci, "earthling.tokens.Tokens/Create")).isPresent();
        assertThat(rules.callWithToken(Principal.bootstrap(), "earthling.tokens.Tokens/Create")).isEmpty();
        assertThat(rules.callWithToken(Principal.bootstrap(), "earthling.manager.Coordinator/Register"))
                .hasValueSatisfying(r -> assertThat(r.message()).isEqualTo("earthling:http.token may not call"
                        + " earthling.manager.Coordinator/Register on the manager: a token opens the client API only"));
        assertThat(CallerRules.badToken("unknown token").status().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    }

    @Test
    void the_token_of_an_authorization_header_is_read_after_bearer() {
        assertThat(BearerTokens.bearer(null)).isNull();
        assertThat(BearerTokens.bearer("Bearer et_abc")).isEqualTo("et_abc");
        assertThat(BearerTokens.bearer("bearer  et_abc ")).isEqualTo("et_abc");
        assertThat(BearerTokens.bearer("Basic dXNlcjpwdw==")).isEmpty();
        assertThat(BearerTokens.bearer("Bearer ")).isEmpty();
    }
}

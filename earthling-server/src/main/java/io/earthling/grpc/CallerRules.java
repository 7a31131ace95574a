package io.earthling.grpc;

import io.earthling.grpc.Identity.Role;
import io.earthling.protocol.EarthlingGrpc;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.logs.JobLogsGrpc;
import io.earthling.protocol.manager.CoordinatorGrpc;
import io.earthling.protocol.pipelines.PipelinesGrpc;
import io.earthling.protocol.tokens.TokensGrpc;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what over gRPC once TLS is on: a plain table, no I/O. The manager's port serves assistants
 * ({@code Coordinator}) and clients ({@code Jobs}, {@code JobLogs}, {@code Pipelines}); an assistant's port serves
 * the manager only ({@code Earthling}: Deliver, Cancel, Drain, JobLog). An assistant speaks only for the node its
 * certificate names. Without TLS (laptop mode, or {@code --insecure}) there is no caller to check and every
 * call is let through. docs/operations.md, "Securing a cluster".
 */
public final class CallerRules {
    private final String server;
    private final Map<String, Set<Role>> services;
    private final ClientRoles clients;

    private CallerRules(String server, Map<String, Set<Role>> services, ClientRoles clients) {
        this.server = server;
        this.services = Map.copyOf(services);
        this.clients = clients;
    }

    /** The rules of a manager's port; every client certificate may use the whole client API. */
    public static CallerRules manager() {
        return manager(ClientRoles.everyone());
    }

    /** The rules of a manager's port; what each client certificate may do on the client API is {@code clients}'. */
    public static CallerRules manager(ClientRoles clients) {
        return new CallerRules("the manager", Map.of(
                CoordinatorGrpc.SERVICE_NAME, Set.of(Role.ASSISTANT),
                JobsGrpc.SERVICE_NAME, Set.of(Role.CLIENT),
                JobLogsGrpc.SERVICE_NAME, Set.of(Role.CLIENT),
                PipelinesGrpc.SERVICE_NAME, Set.of(Role.CLIENT),
                TokensGrpc.SERVICE_NAME, Set.of(Role.CLIENT)), clients);
    }

    /** The rules of an assistant's port. */
    public static CallerRules assistant() {
        return new CallerRules("an assistant", Map.of(EarthlingGrpc.SERVICE_NAME, Set.of(Role.MANAGER),
                // Read-only, and what the seed's Python snippet asks an assistant.
                EarthlingGrpc.getReportIdleWorkerMethod().getFullMethodName(), Set.of(Role.MANAGER, Role.CLIENT)),
                ClientRoles.everyone());
    }

    /**
     * Why a call of {@code method} ({@code service/Method}) by {@code caller} (empty: no identity in its certificate)
     * is refused, if it is. A rule for the method wins over its service's.
     */
    public Optional<Refused> call(Optional<Identity> caller, String method) {
        if (caller.isEmpty()) {
            return Optional.of(Refused.unauthenticated("no client certificate naming an earthling identity (earthling"
                    + " certs client --name NAME; tls.ca, tls.cert, tls.key)" + (clientApi(method)
                    ? " and no token (authorization: Bearer TOKEN; earthling tokens create, then --token or"
                    + " EARTHLING_TOKEN)" : "")));
        }
        Set<Role> allowed = allowed(method);
        if (!allowed.contains(caller.get().role())) {
            return Optional.of(Refused.denied(caller.get() + " may not call " + method + " on " + server));
        }
        if (caller.get().role() == Role.CLIENT) {
            return clients.refusal(caller.get().name(), method).map(Refused::denied);
        }
        return Optional.empty();
    }

    /**
     * Why a call of {@code method} by the holder of a valid token is refused, if it is: a token opens the client API
     * only, as far as its roles allow.
     */
    public Optional<Refused> callWithToken(Principal caller, String method) {
        if (!clientApi(method)) {
            return Optional.of(Refused.denied(caller + " may not call " + method + " on " + server
                    + ": a token opens the client API only"));
        }
        return caller.refusal(ClientRoles.needs(method), method).map(Refused::denied);
    }

    /** A token that is unknown, revoked or expired, or a malformed authorization header. */
    public static Refused badToken(String why) {
        return Refused.unauthenticated("token refused: " + why);
    }

    private Set<Role> allowed(String method) {
        int slash = method.indexOf('/');
        return services.getOrDefault(method,
                services.getOrDefault(slash < 0 ? method : method.substring(0, slash), Set.of()));
    }

    private boolean clientApi(String method) {
        return allowed(method).contains(Role.CLIENT);
    }

    /**
     * Why {@code caller} may not speak for node {@code nodeId} (register, beat, report results and logs, leave), if
     * it may not; {@code caller} null: no TLS, nothing to check.
     */
    public static Optional<Refused> speaksFor(Identity caller, String nodeId) {
        if (caller == null || caller.role() == Role.ASSISTANT && caller.name().equals(nodeId)) {
            return Optional.empty();
        }
        return Optional.of(Refused.denied(caller + " may not speak for node " + nodeId));
    }

    /** A refusal: {@code unauthenticated} (no usable identity) or permission denied, and why. */
    public record Refused(boolean unauthenticated, String message) {
        static Refused unauthenticated(String message) {
            return new Refused(true, message);
        }

        static Refused denied(String message) {
            return new Refused(false, message);
        }

        public io.grpc.Status status() {
            return (unauthenticated ? io.grpc.Status.UNAUTHENTICATED : io.grpc.Status.PERMISSION_DENIED)
                    .withDescription(message);
        }
    }
}

package io.earthling.grpc;

import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.logs.JobLogsGrpc;
import io.earthling.protocol.pipelines.PipelinesGrpc;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a client certificate may do on the client API: each method needs one role, and {@code security.clients}
 * grants roles by client name. {@code read} reads jobs, logs, nodes, queues, schedules and pipelines; {@code submit}
 * submits; {@code operate} cancels, retries, drains, pauses and manages schedules; {@code admin} may do everything.
 * Without {@code security.clients} every client certificate may do everything (as before roles existed). A plain
 * table, no I/O. docs/operations.md, "Securing a cluster".
 */
public final class ClientRoles {
    /** The roles a client can be granted. */
    public enum Role {
        READ, SUBMIT, OPERATE, ADMIN;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The role a word of {@code security.clients} names, if any. */
        public static Optional<Role> of(String word) {
            for (Role r : values()) {
                if (r.word().equals(word)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    private static final Map<String, Role> NEEDS = new HashMap<>();

    static {
        for (var m : new io.grpc.MethodDescriptor<?, ?>[] {JobsGrpc.getSubmitMethod(), JobsGrpc.getSubmitBatchMethod()}) {
            NEEDS.put(m.getFullMethodName(), Role.SUBMIT);
        }
        for (var m : new io.grpc.MethodDescriptor<?, ?>[] {JobsGrpc.getGetMethod(), JobsGrpc.getListMethod(),
                JobsGrpc.getWaitMethod(), JobsGrpc.getNodesMethod(), JobsGrpc.getQueuesMethod(), JobsGrpc.getEventsMethod(),
                JobsGrpc.getListSchedulesMethod(), JobLogsGrpc.getGetMethod(), JobLogsGrpc.getFollowMethod(),
                PipelinesGrpc.getStatusMethod()}) {
            NEEDS.put(m.getFullMethodName(), Role.READ);
        }
        for (var m : new io.grpc.MethodDescriptor<?, ?>[] {JobsGrpc.getCancelMethod(), JobsGrpc.getRetryMethod(),
                JobsGrpc.getDrainMethod(), JobsGrpc.getPauseQueueMethod(), JobsGrpc.getRunNowMethod(),
                JobsGrpc.getCreateScheduleMethod(),
                JobsGrpc.getDeleteScheduleMethod(), PipelinesGrpc.getCancelMethod()}) {
            NEEDS.put(m.getFullMethodName(), Role.OPERATE);
        }
    }

    private final Map<String, Set<Role>> grants;

    private ClientRoles(Map<String, Set<Role>> grants) {
        this.grants = grants == null ? null : Map.copyOf(grants);
    }

    private static final ClientRoles EVERYONE = new ClientRoles(null);

    /** Every client may do everything: no {@code security.clients}. */
    public static ClientRoles everyone() {
        return EVERYONE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientRoles c && java.util.Objects.equals(grants, c.grants);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(grants);
    }

    @Override
    public String toString() {
        return grants == null ? "every client: admin" : grants.toString();
    }

    /** Each client name may do what its roles allow; a name not listed may do nothing. */
    public static ClientRoles granted(Map<String, Set<Role>> grants) {
        return new ClientRoles(grants);
    }

    /** The role {@code method} ({@code service/Method}) needs; a method not in the table needs {@code admin}. */
    public static Role needs(String method) {
        return NEEDS.getOrDefault(method, Role.ADMIN);
    }

    /** Why client {@code name} may not call {@code method}, if it may not. */
    public Optional<String> refusal(String name, String method) {
        if (grants == null) {
            return Optional.empty();
        }
        Set<Role> has = grants.getOrDefault(name, Set.of());
        Role needs = needs(method);
        if (has.contains(Role.ADMIN) || has.contains(needs)) {
            return Optional.empty();
        }
        String roles = has.isEmpty() ? "none (not in security.clients)" : EnumSet.copyOf(has).stream().map(Role::word)
                .collect(Collectors.joining(", "));
        return Optional.of(Identity.client(name) + " may not call " + method + ": it needs the role " + needs.word()
                + " (has " + roles + ")");
    }
}

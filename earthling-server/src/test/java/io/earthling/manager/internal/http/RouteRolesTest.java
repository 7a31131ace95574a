package io.earthling.manager.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.grpc.ClientRoles.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The role of each HTTP route, as a table: the same split as the gRPC methods'. */
class RouteRolesTest {
    @Test
    void every_route_needs_the_role_of_what_it_does() {
        Map<String, Role> table = Map.ofEntries(
                Map.entry("GET /api/jobs", Role.READ),
                Map.entry("GET /api/jobs/7/events", Role.READ),
                Map.entry("GET /metrics", Role.READ),
                Map.entry("GET /", Role.READ),
                Map.entry("GET /api/stream", Role.READ),
                Map.entry("POST /api/jobs", Role.SUBMIT),
                Map.entry("POST /api/jobs/batch", Role.SUBMIT),
                Map.entry("POST /api/jobs/7/cancel", Role.OPERATE),
                Map.entry("POST /api/jobs/7/retry", Role.OPERATE),
                Map.entry("POST /api/jobs/7/run-now", Role.OPERATE),
                Map.entry("POST /api/queues/reports/retry", Role.OPERATE),
                Map.entry("POST /api/queues/reports/pause", Role.OPERATE),
                Map.entry("POST /api/queues/reports/resume", Role.OPERATE),
                Map.entry("POST /api/nodes/127.0.0.2:50052/drain", Role.OPERATE),
                Map.entry("POST /api/schedules", Role.OPERATE),
                Map.entry("DELETE /api/schedules/nightly", Role.OPERATE),
                Map.entry("DELETE /api/jobs/7", Role.ADMIN),
                Map.entry("DELETE /api/queues/reports/dead", Role.ADMIN),
                Map.entry("POST /api/purge", Role.ADMIN),
                Map.entry("GET /api/tokens", Role.ADMIN),
                Map.entry("POST /api/jobs/7/something-new", Role.ADMIN));
        table.forEach((route, role) -> {
            String[] r = route.split(" ");
            assertThat(RouteRoles.needs(r[0], r[1])).as(route).isEqualTo(role);
        });
    }
}

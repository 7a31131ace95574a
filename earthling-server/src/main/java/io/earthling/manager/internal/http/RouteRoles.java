package io.earthling.manager.internal.http;

import io.earthling.grpc.ClientRoles.Role;
import java.util.regex.Pattern;

/**
 * The role each HTTP route needs, the same split as gRPC's (ClientRoles): reading is {@code read}; submitting is
 * {@code submit}; cancel, retry, run-now, pause, resume, drain and schedules are {@code operate}; deleting, purging,
 * tokens and anything not listed are {@code admin}. A plain function of method and path.
 */
final class RouteRoles {
    private static final Pattern SUBMIT = Pattern.compile("/api/jobs(/batch)?/?");
    private static final Pattern OPERATE = Pattern.compile("/api/(jobs/[^/]+/(cancel|retry|run-now)"
            + "|queues/[^/]+/(retry|pause|resume)|nodes/[^/]+/drain|pipelines/[^/]+/cancel|schedules(/.*)?)/?");

    private RouteRoles() {
    }

    static Role needs(String method, String path) {
        if (path.startsWith("/api/tokens")) {
            return Role.ADMIN;
        }
        switch (method) {
            case "GET", "HEAD", "OPTIONS" -> {
                return Role.READ;
            }
            case "POST" -> {
                if (SUBMIT.matcher(path).matches()) {
                    return Role.SUBMIT;
                }
                return OPERATE.matcher(path).matches() ? Role.OPERATE : Role.ADMIN;
            }
            default -> {
                return path.startsWith("/api/schedules") ? Role.OPERATE : Role.ADMIN;
            }
        }
    }
}

package io.earthling.manager.internal.http;

import io.earthling.manager.internal.api.Refusal;
import io.earthling.manager.internal.rpc.ErrorMapping;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Calls the manager's API from a route; its refusals become HTTP problems through {@link ErrorMapping}. */
final class Calls {
    private Calls() {
    }

    /** The call's future; a refusal thrown at once becomes a failed future, answered like a later one. */
    static <T> CompletableFuture<T> of(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static HttpProblem problem(Throwable t) {
        Throwable cause = Refusal.unwrap(t);
        if (cause instanceof HttpProblem p) {
            return p;
        }
        Status st = ErrorMapping.status(cause).getStatus();
        int http = ErrorMapping.httpStatus(st.getCode());
        if (http == 500) {
            // No exception text in an answer (issue 16, item 8): ErrorMapping logged what is not a refusal.
            if (!(cause instanceof io.grpc.StatusRuntimeException) || st.getCode() != Status.Code.INTERNAL) {
                org.slf4j.LoggerFactory.getLogger(Calls.class).warn("HTTP 500 for {}", String.valueOf(st), cause);
            }
            return new HttpProblem(500, "internal error; the manager's log has the details");
        }
        return new HttpProblem(http, ErrorMapping.message(st));
    }
}

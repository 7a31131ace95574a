package io.earthling.manager.internal.rpc;

import io.earthling.api.internal.RetryHints;
import io.earthling.manager.internal.api.Refusal;
import io.earthling.store.FencedException;
import io.earthling.store.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the manager's API errors become transport answers: a gRPC {@link Status} and an HTTP status.
 * Anything that is not a {@link Refusal} is a defect: logged here with its stack, answered without its text.
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    public static StatusRuntimeException status(Throwable error) {
        Throwable t = Refusal.unwrap(error);
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof StoreUnavailableException || t instanceof FencedException) {
            // The database is away, or this manager was just deposed: the call may succeed on a retry.
            return Status.UNAVAILABLE.withDescription("not now: " + t.getMessage() + "; retry shortly").asRuntimeException();
        }
        if (!(t instanceof Refusal r)) {
            log.error("Internal error answering a call; the caller gets INTERNAL and may retry", t);
            return Status.INTERNAL.withDescription("internal error; the manager's log has the details").asRuntimeException();
        }
        Status s = switch (r.reason()) {
            case INVALID -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case EXISTS -> Status.ALREADY_EXISTS;
            case CONFLICT -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case BUSY -> Status.RESOURCE_EXHAUSTED;
        };
        s = s.withDescription(r.getMessage());
        return r.retryAfterMs() > 0 ? RetryHints.retryAfter(s, r.retryAfterMs()) : s.asRuntimeException();
    }

    /** The HTTP status for a gRPC code: the one table both transports share. */
    public static int httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> 409;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            default -> 500;
        };
    }

    /** The words for the caller: the status's description, or its code when it has none. */
    public static String message(Status s) {
        return s.getDescription() == null ? s.getCode().name() : s.getDescription();
    }
}

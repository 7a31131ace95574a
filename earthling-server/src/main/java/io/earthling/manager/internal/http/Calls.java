package io.earthling.manager.internal.http;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Calls a gRPC service method in-process and maps its status to HTTP: the service stays the one implementation. */
final class Calls {
    private Calls() {
    }

    /** The method's single answer; null when it completed without one. */
    static <R, T> CompletableFuture<T> unary(BiConsumer<R, StreamObserver<T>> method, R request) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            method.accept(request, new StreamObserver<>() {
                @Override
                public void onNext(T value) {
                    f.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                    f.completeExceptionally(problem(t));
                }

                @Override
                public void onCompleted() {
                    f.complete(null);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(problem(e));
        }
        return f;
    }

    static HttpProblem problem(Throwable t) {
        if (t instanceof HttpProblem p) {
            return p;
        }
        if (!(t instanceof StatusRuntimeException s)) {
            return new HttpProblem(500, "internal error: " + t);
        }
        Status st = s.getStatus();
        String message = st.getDescription() == null ? st.getCode().name() : st.getDescription();
        int http = switch (st.getCode()) {
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
        return new HttpProblem(http, message);
    }
}

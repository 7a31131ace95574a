package io.earthling.worker;

import io.earthling.api.EarthlingException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret an assistant gives each worker process it spawns ({@link #ENV}), and that it presents on every call
 * ({@link #HEADER}): a worker serves only its own assistant, not whoever else reaches its loopback port
 * (issue 16, item 5). Compared in constant time, as digests, so neither its content nor its length leaks.
 */
public final class WorkerSecret {
    /** The environment variable a worker process reads its secret from. */
    public static final String ENV = "EARTHLING_WORKER_SECRET";
    public static final Metadata.Key<String> HEADER =
            Metadata.Key.of("earthling-worker-secret", Metadata.ASCII_STRING_MARSHALLER);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] digest;

    private WorkerSecret(String secret) {
        this.digest = sha256(secret);
    }

    /** A new random secret: 32 bytes, base64url. */
    public static String fresh() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The secret to check calls against; a blank one is refused (a worker is started by its assistant only). */
    public static WorkerSecret of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new EarthlingException(ENV + " is not set: a worker process is started by its assistant, which"
                    + " passes it the secret its calls carry");
        }
        return new WorkerSecret(secret);
    }

    /** Whether {@code presented} is this secret; null or wrong is false. Constant time. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** Refuses every call that does not carry this secret with {@code UNAUTHENTICATED}, before any method runs. */
    public ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                if (matches(headers.get(HEADER))) {
                    return next.startCall(call, headers);
                }
                call.close(Status.UNAUTHENTICATED.withDescription("this worker serves only its own assistant"),
                        new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        };
    }

    /** Adds {@code secret} to every call made through a channel. */
    public static ClientInterceptor presenting(String secret) {
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        headers.put(HEADER, secret);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

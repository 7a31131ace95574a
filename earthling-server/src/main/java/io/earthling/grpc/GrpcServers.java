package io.earthling.grpc;

import io.earthling.api.EarthlingException;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Starting gRPC servers and channels the same way for every role, with one clear line when a port is taken. */
public final class GrpcServers {
    /** In-process twins of this JVM's servers, by the target they listen on, when local calls are short-circuited. */
    private static final Map<String, Server> twins = new ConcurrentHashMap<>();
    private static final Map<Server, String> twinNames = new ConcurrentHashMap<>();
    private static volatile boolean shortCircuit;

    private GrpcServers() {
    }

    /**
     * From now on a server started here also serves in-process, and a channel to its address stays in the JVM: roles
     * sharing one process ({@code earthling run}) then skip HTTP/2 framing and the loopback between them.
     */
    public static void shortCircuitLocalCalls(boolean on) {
        shortCircuit = on;
    }

    /** Binds {@code address:port}; {@code what} names the config key in the error, e.g. "rpc.manager". */
    public static Server start(String what, String address, int port, BindableService... services) {
        return start(what, NettyServerBuilder.forAddress(new InetSocketAddress(address, port)), address, port, services);
    }

    /**
     * {@link #start(String, String, int, BindableService...)} with mutual TLS when {@code tls} is not null: only
     * callers with a certificate of the cluster CA connect, and {@code rules} say which of them may call which
     * service. A TLS server has no in-process twin, so every caller goes through the handshake and the rules.
     */
    public static Server start(String what, String address, int port, Tls tls, CallerRules rules,
                               BindableService... services) {
        return start(what, address, port, tls, rules, null, services);
    }

    /**
     * {@link #start(String, String, int, Tls, CallerRules, BindableService...)} that also accepts tokens
     * ({@code authorization: Bearer TOKEN}) as {@code tokens} says, with TLS or without.
     */
    public static Server start(String what, String address, int port, Tls tls, CallerRules rules, BearerTokens tokens,
                               BindableService... services) {
        if (tls == null) {
            if (tokens == null) {
                return start(what, address, port, services);
            }
            PeerIdentity check = new PeerIdentity(rules, tokens, false);
            NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(address, port)).intercept(check);
            return start(what, b, address, port, shortCircuit, check, services);
        }
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(address, port), tls.serverCredentials());
        PeerIdentity check = new PeerIdentity(rules, tokens, true);
        b.intercept(check);
        return start(what, b, address, port, false, check, services);
    }

    /**
     * Like {@link #start}, but calls run on the transport's own threads: only for services whose every method
     * returns at once (hands its work to another thread), where a hop to a call executor is pure overhead.
     */
    public static Server startInline(String what, String address, int port, BindableService... services) {
        return start(what, NettyServerBuilder.forAddress(new InetSocketAddress(address, port)).directExecutor(), address,
                port, services);
    }

    private static Server start(String what, NettyServerBuilder b, String address, int port, BindableService... services) {
        return start(what, b, address, port, shortCircuit, null, services);
    }

    private static Server start(String what, NettyServerBuilder b, String address, int port, boolean twin,
                                io.grpc.ServerInterceptor check, BindableService... services) {
        b
                .maxInboundMessageSize(MessageSizes.MAX_MESSAGE_BYTES)
                .intercept(new MessageCaps())
                .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true);
        for (BindableService s : services) {
            b.addService(s);
        }
        try {
            Server server = b.build().start();
            if (twin) {
                InProcessServerBuilder inProcess = InProcessServerBuilder.forName(address + ":" + server.getPort());
                if (check != null) {
                    inProcess.intercept(check);
                }
                for (BindableService s : services) {
                    inProcess.addService(s);
                }
                twins.put(address + ":" + server.getPort(), inProcess.build().start());
                twinNames.put(server, address + ":" + server.getPort());
            }
            return server;
        } catch (IOException e) {
            Throwable c = e;
            while (c.getCause() != null && !(c instanceof BindException)) {
                c = c.getCause();
            }
            String m = String.valueOf(c.getMessage());
            String why = m.contains("in use") ? "the port is already in use"
                    : c instanceof BindException || m.contains("assign requested address")
                    ? "already in use or not an address of this host" : m;
            throw new EarthlingException(what + ": cannot listen on " + address + ":" + port + ": " + why);
        }
    }

    public static ManagedChannel channel(String target) {
        if (twins.containsKey(target)) {
            return InProcessChannelBuilder.forName(target).maxInboundMessageSize(MessageSizes.MAX_MESSAGE_BYTES).build();
        }
        return NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(MessageSizes.MAX_MESSAGE_BYTES)
                .keepAliveTime(30, TimeUnit.SECONDS).build();
    }

    /**
     * A channel to {@code target}: plaintext when {@code tls} is null, else showing this process's certificate and
     * accepting only a server whose certificate names {@code expected}.
     */
    public static ManagedChannel channel(String target, Tls tls, Identity expected) {
        if (tls == null) {
            return channel(target);
        }
        return NettyChannelBuilder.forTarget(target, tls.channelCredentials(expected))
                .maxInboundMessageSize(MessageSizes.MAX_MESSAGE_BYTES).keepAliveTime(30, TimeUnit.SECONDS).build();
    }

    /** A channel whose callbacks run on the transport's threads: only for callers whose callbacks never block. */
    public static ManagedChannel inlineChannel(String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(MessageSizes.MAX_MESSAGE_BYTES)
                .keepAliveTime(30, TimeUnit.SECONDS).directExecutor().build();
    }

    public static void stop(Server server) {
        if (server != null) {
            String twin = twinNames.remove(server);
            if (twin != null) {
                twins.remove(twin).shutdownNow();
            }
            server.shutdownNow();
            try {
                server.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

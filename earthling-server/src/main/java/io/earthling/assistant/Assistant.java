package io.earthling.assistant;

import io.earthling.assistant.internal.Node;
import io.earthling.api.EarthlingException;
import io.earthling.grpc.CallerRules;
import io.earthling.grpc.GrpcServers;
import io.earthling.grpc.Identity;
import io.earthling.grpc.Tls;
import io.earthling.grpc.TlsFiles;
import io.grpc.Server;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant role: serves {@code Earthling} on its address, keeps its workers (OS processes, or threads in
 * embedded mode) running, hands each delivered job to an idle one and reports outcomes to the leader.
 */
public final class Assistant implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Assistant.class);

    private final Node node;
    private final Server server;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final Tls tls;

    private Assistant(Node node, Server server, Tls tls) {
        this.node = node;
        this.server = server;
        this.tls = tls;
    }

    /** Starts the workers, binds the port and begins registering with a manager. */
    public static Assistant start(AssistantSettings settings) {
        return start(settings, null);
    }

    /**
     * {@link #start(AssistantSettings)} with mutual TLS on its port and its channels to managers when {@code tlsFiles}
     * is not null: its certificate must name this node ({@code earthling certs assistant --node ADDRESS:PORT}).
     */
    public static Assistant start(AssistantSettings settings, TlsFiles tlsFiles) {
        Tls tls = tlsFiles == null ? null : Tls.open(tlsFiles);
        if (tls != null && !tls.self().equals(Identity.assistant(settings.nodeId()))) {
            tls.close();
            throw new EarthlingException("tls.cert: node " + settings.nodeId() + " needs the certificate "
                    + Identity.assistant(settings.nodeId()) + ", this one is " + tls.self() + " (earthling certs assistant --node "
                    + settings.nodeId() + ")");
        }
        Node node;
        try {
            node = Node.create(settings, target -> GrpcServers.channel(target, tls, Identity.manager()));
        } catch (RuntimeException e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        try {
            Server server = GrpcServers.start("rpc.assistant " + settings.nodeId(), settings.address(), settings.port(),
                    tls, CallerRules.assistant(), node.service());
            node.connect();
            log.info("Assistant {} serving with {} workers ({})", settings.nodeId(), node.workerCount(),
                    (settings.threads() > 0 ? "threads" : "processes on ports " + settings.workerPorts())
                            + (settings.python().ports().isEmpty() ? "" : ", Python on ports " + settings.python().ports()));
            Assistant a = new Assistant(node, server, tls);
            Thread leaving = new Thread(() -> {
                try {
                    node.awaitLeft();
                    a.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "earthling-leave");
            leaving.setDaemon(true);
            leaving.start();
            return a;
        } catch (RuntimeException e) {
            node.close();
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    /** PIDs of the worker processes (empty in embedded mode). */
    public java.util.List<Long> workerPids() {
        return node.workerPids();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Takes no new work; once running jobs finish and their results are acknowledged, leaves and stops. */
    public void drain() {
        node.drain();
    }

    /** How many jobs this node runs now. */
    public int running() {
        return node.running();
    }

    /** SIGTERM: drain, wait up to {@code timeoutMs} for the node to leave, then stop whatever still runs. */
    public void drainAndClose(long timeoutMs) {
        if (stopped.getCount() == 0) {
            return;
        }
        node.drain();
        log.info("Draining before stopping: {} jobs still run; waiting up to {} ms", node.running(), timeoutMs);
        try {
            if (!node.awaitLeft(timeoutMs)) {
                log.warn("Not drained within {} ms ({} jobs still run); stopping anyway, the leader retries them",
                        timeoutMs, node.running());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        GrpcServers.stop(server);
        node.close();
        if (tls != null) {
            tls.close();
        }
        stopped.countDown();
    }
}

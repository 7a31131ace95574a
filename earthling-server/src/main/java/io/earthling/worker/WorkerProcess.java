package io.earthling.worker;

import com.google.protobuf.ByteString;
import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.WorkBatch;
import io.earthling.protocol.worker.TypesRequest;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A worker OS process: serves {@link WorkerServer} on a loopback address, to its own assistant only (the
 * {@link WorkerSecret} it was started with), and exits when its stdin closes,
 * which happens when the assistant dies, however it dies.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void run(String address, int port, Path handlersDir, List<String> allow, List<String> commandEnv,
                           boolean examples, WorkerSecret secret) throws InterruptedException {
        if (!isLoopback(address)) {
            throw new io.earthling.api.EarthlingException("--address: a worker listens on a loopback address only, not "
                    + address);
        }
        HandlerRegistry registry = HandlerRegistry.load(handlersDir, allow, commandEnv, examples);
        Server server = GrpcServers.startInline("worker", address, port, guarded(new WorkerServer(registry), secret));
        Thread watch = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the assistant never writes; EOF means it is gone
                }
            } catch (IOException e) {
                // treat like EOF
            }
            server.shutdownNow();
            Runtime.getRuntime().halt(0);
        }, "earthling-parent-watch");
        watch.setDaemon(true);
        watch.start();
        server.awaitTermination();
    }

    /** The worker service behind {@code secret}'s check: a call without it never reaches a method. */
    public static io.grpc.BindableService guarded(WorkerServer server, WorkerSecret secret) {
        io.grpc.ServerServiceDefinition definition = io.grpc.ServerInterceptors.intercept(server, secret.interceptor());
        return () -> definition;
    }

    /** Whether {@code address} is a loopback address (127.0.0.0/8, ::1, or a name of one). */
    public static boolean isLoopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * Serves one echo job to itself on a free loopback port and returns: run under
     * {@code -XX:ArchiveClassesAtExit}, it leaves the class archive that makes later worker starts cheap.
     */
    public static void train(Path handlersDir, List<String> allow, List<String> commandEnv, boolean examples)
            throws InterruptedException {
        HandlerRegistry registry = HandlerRegistry.load(handlersDir, allow, commandEnv, examples);
        String secret = WorkerSecret.fresh();
        Server server = GrpcServers.startInline("worker", "127.0.0.1", 0,
                guarded(new WorkerServer(registry), WorkerSecret.of(secret)));
        ManagedChannel plain = GrpcServers.channel("127.0.0.1:" + server.getPort());
        io.grpc.Channel channel = io.grpc.ClientInterceptors.intercept(plain, WorkerSecret.presenting(secret));
        try {
            WorkerGrpc.newBlockingStub(channel).types(TypesRequest.getDefaultInstance());
            CountDownLatch answered = new CountDownLatch(1);
            StreamObserver<WorkBatch> work = WorkerGrpc.newStub(channel).work(new StreamObserver<>() {
                public void onNext(AnswerBatch r) {
                    answered.countDown();
                }

                public void onError(Throwable t) {
                    answered.countDown();
                }

                public void onCompleted() {
                }
            });
            work.onNext(WorkBatch.newBuilder().addJobs(ExecuteRequest.newBuilder().setJobId(1).setType("echo")
                    .setAttempt(1).setPayload(ByteString.copyFromUtf8("{\"train\": true}"))).build());
            answered.await(30, TimeUnit.SECONDS);
            work.onCompleted();
        } finally {
            plain.shutdownNow();
            GrpcServers.stop(server);
        }
    }
}

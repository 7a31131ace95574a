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
 * A worker OS process: serves {@link WorkerServer} on its assistant's address and exits when its stdin closes,
 * which happens when the assistant dies, however it dies.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void run(String address, int port, Path handlersDir, List<String> allow) throws InterruptedException {
        HandlerRegistry registry = HandlerRegistry.load(handlersDir, allow);
        Server server = GrpcServers.startInline("worker", address, port, new WorkerServer(registry));
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

    /**
     * Serves one echo job to itself on a free loopback port and returns: run under
     * {@code -XX:ArchiveClassesAtExit}, it leaves the class archive that makes later worker starts cheap.
     */
    public static void train(Path handlersDir, List<String> allow) throws InterruptedException {
        HandlerRegistry registry = HandlerRegistry.load(handlersDir, allow);
        Server server = GrpcServers.startInline("worker", "127.0.0.1", 0, new WorkerServer(registry));
        ManagedChannel channel = GrpcServers.channel("127.0.0.1:" + server.getPort());
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
            channel.shutdownNow();
            GrpcServers.stop(server);
        }
    }
}

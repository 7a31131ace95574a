package io.earthling.manager.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.manager.internal.LeaderFixture;
import io.earthling.protocol.AcceptedOn;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.EarthlingGrpc;
import io.earthling.store.Store;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A Deliver call that fails may still have reached its node: the job may run there. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DispatcherDeliveryFailureTest {
    private final LeaderFixture leader = new LeaderFixture("delivery-failure", Clock.systemUTC());
    private final Store store = leader.store;
    private final Dispatcher dispatcher = leader.dispatcher;
    private final List<Server> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        leader.close();
        servers.forEach(Server::shutdownNow);
    }

    @Test
    void a_job_whose_delivery_call_failed_is_delivered_again_under_a_new_attempt_number() throws IOException {
        long id = leader.insert(3);
        dispatcher.load(List.of(ReadyJobs.of(store.jobs().get(id).orElseThrow())), List.of());
        dispatcher.start();
        // n1 takes the job, then its answer is lost (the leader paused past the call's deadline, a broken link).
        List<Delivery> onN1 = node("n1", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !onN1.isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> store.jobs().get(id).orElseThrow().attempts() == 1);

        List<Delivery> onN2 = node("n2", true);

        await().atMost(Duration.ofSeconds(10)).until(() -> !onN2.isEmpty());
        assertThat(onN1).singleElement().satisfies(d -> assertThat(d.getAttempt()).isEqualTo(1));
        assertThat(onN2).as("were n1's run and this one to overlap, their (job, attempt) would differ")
                .singleElement().satisfies(d -> assertThat(d.getAttempt()).isEqualTo(2));
    }

    /** Registers a node whose Deliver records the jobs and answers them, or fails the call after taking them. */
    private List<Delivery> node(String id, boolean answers) throws IOException {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        String name = "delivery-failure-" + id;
        servers.add(InProcessServerBuilder.forName(name).directExecutor().addService(new EarthlingGrpc.EarthlingImplBase() {
            @Override
            public void deliver(DeliverRequest r, StreamObserver<DeliverResponse> out) {
                got.addAll(r.getJobsList());
                if (!answers) {
                    out.onError(Status.DEADLINE_EXCEEDED.withDescription("the answer was lost").asRuntimeException());
                    return;
                }
                DeliverResponse.Builder resp = DeliverResponse.newBuilder();
                r.getJobsList().forEach(d -> resp.addAccepted(d.getJobId())
                        .addAcceptedOn(AcceptedOn.newBuilder().setJobId(d.getJobId()).setWorker("w1")));
                out.onNext(resp.build());
                out.onCompleted();
            }
        }).build().start());
        CompletableFuture<List<Long>> registered = new CompletableFuture<>();
        dispatcher.register(new NodeTable.Registration(id, "127.0.0.9", 9, 1, 1, 1, 0, List.of("noop"), 0), List.of(),
                a -> InProcessChannelBuilder.forName(name).directExecutor().build(), registered::complete);
        registered.join();
        return got;
    }
}

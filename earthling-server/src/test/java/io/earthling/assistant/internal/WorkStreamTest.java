package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.ExecuteResponse;
import io.earthling.protocol.worker.WorkBatch;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The assistant's end of a worker's job stream, against a worker that takes jobs and never answers. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WorkStreamTest {
    private final String name = InProcessServerBuilder.generateName();
    private final List<Long> received = new CopyOnWriteArrayList<>();
    private final List<StreamObserver<AnswerBatch>> answers = new CopyOnWriteArrayList<>();
    private final Server server;
    private final ManagedChannel channel;
    private final WorkStream stream;

    WorkStreamTest() throws Exception {
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new WorkerGrpc.WorkerImplBase() {
            @Override
            public StreamObserver<WorkBatch> work(StreamObserver<AnswerBatch> out) {
                answers.add(out);
                return new StreamObserver<>() {
                    public void onNext(WorkBatch b) {
                        b.getJobsList().forEach(r -> received.add(r.getJobId()));
                    }

                    public void onError(Throwable t) {
                    }

                    public void onCompleted() {
                    }
                };
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stream = new WorkStream(WorkerGrpc.newStub(channel), "w1", new WorkStream.Events() {
            public void answered() {
            }

            public void broken() {
            }
        });
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void when_the_worker_dies_only_the_oldest_job_is_lost_and_the_ones_behind_it_never_started() throws Exception {
        CompletableFuture<JobOutcome> first = stream.send(List.of(job(1))).get(0);
        CompletableFuture<JobOutcome> second = stream.send(List.of(job(2))).get(0);
        CompletableFuture<JobOutcome> third = stream.send(List.of(job(3))).get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);

        answers.get(0).onError(new IllegalStateException("process died"));

        JobOutcome lost = first.get();
        assertThat(lost.getWorkerLost()).isTrue();
        assertThat(lost.getJobId()).isEqualTo(1);
        for (CompletableFuture<JobOutcome> behind : List.of(second, third)) {
            await().atMost(Duration.ofSeconds(5)).until(behind::isDone);
            assertThat(notStarted(behind)).isTrue();
        }
    }

    @Test
    void a_stream_the_worker_refuses_loses_nothing_every_job_sent_on_it_never_started() throws Exception {
        CompletableFuture<JobOutcome> first = stream.send(List.of(job(1))).get(0);
        CompletableFuture<JobOutcome> second = stream.send(List.of(job(2))).get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);

        answers.get(0).onError(io.grpc.Status.FAILED_PRECONDITION
                .withDescription("a Work stream is already open on this worker").asRuntimeException());

        for (CompletableFuture<JobOutcome> f : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(5)).until(f::isDone);
            assertThat(notStarted(f)).as("not charged as lost with a dead process").isTrue();
        }
    }

    @Test
    void a_job_the_worker_hands_back_comes_back_as_not_started() throws Exception {
        CompletableFuture<JobOutcome> first = stream.send(List.of(job(1))).get(0);
        CompletableFuture<JobOutcome> second = stream.send(List.of(job(2))).get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);

        answers.get(0).onNext(AnswerBatch.newBuilder()
                .addAnswers(ExecuteResponse.newBuilder().setJobId(2).setReturned(true))
                .addAnswers(ExecuteResponse.newBuilder().setJobId(1).setOk(true).setStartedAtMs(1_000).setFinishedAtMs(1_005))
                .build());

        assertThat(notStarted(second)).isTrue();
        JobOutcome done = first.get();
        assertThat(done.getStatus()).isEqualTo(JobOutcome.Status.SUCCEEDED);
        assertThat(done.getStartedAtMs()).as("the worker's own start time").isEqualTo(1_000);
        assertThat(done.getFinishedAtMs()).isEqualTo(1_005);
    }

    private static boolean notStarted(CompletableFuture<JobOutcome> f) throws InterruptedException {
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof WorkerSlot.NotStarted;
        }
    }

    private static Delivery job(long id) {
        return Delivery.newBuilder().setJobId(id).setType("noop").setAttempt(1).build();
    }
}

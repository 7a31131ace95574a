package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.earthling.grpc.GrpcServers;
import io.earthling.protocol.worker.AnswerBatch;
import io.earthling.protocol.worker.ExecuteRequest;
import io.earthling.protocol.worker.ExecuteResponse;
import io.earthling.protocol.worker.TypesRequest;
import io.earthling.protocol.worker.WorkBatch;
import io.earthling.protocol.worker.WorkerGrpc;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A worker's gRPC port as a stranger on the same machine finds it (issue 16, item 5). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WorkerStreamGuardTest {
    private final String secret = WorkerSecret.fresh();
    private final Server server = GrpcServers.startInline("worker", "127.0.0.1", 0, WorkerProcess.guarded(
            new WorkerServer(HandlerRegistry.load(null, List.of())), WorkerSecret.of(secret)));
    private final ManagedChannel plain = GrpcServers.channel("127.0.0.1:" + server.getPort());
    private final Channel assistant = ClientInterceptors.intercept(plain, WorkerSecret.presenting(secret));

    @AfterEach
    void stop() {
        plain.shutdownNow();
        GrpcServers.stop(server);
    }

    @Test
    void calls_without_the_secret_or_with_another_are_refused_before_any_method_runs() throws Exception {
        for (Channel stranger : List.of(plain, ClientInterceptors.intercept(plain, WorkerSecret.presenting("guess")),
                ClientInterceptors.intercept(plain, WorkerSecret.presenting(secret + "x")))) {
            assertThatThrownBy(() -> WorkerGrpc.newBlockingStub(stranger).types(TypesRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            Stream s = new Stream(stranger);
            s.send(1, "{\"stranger\": true}");
            assertThat(s.next()).as("no job ran").isNull();
            assertThat(s.error.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertThat(WorkerGrpc.newBlockingStub(assistant).types(TypesRequest.getDefaultInstance()).getTypesList())
                .contains("echo");
    }

    @Test
    void a_second_stream_never_replaces_the_first_and_a_new_one_is_taken_once_the_first_ended() throws Exception {
        Stream first = new Stream(assistant);
        first.send(1, "{\"n\": 1}");
        assertThat(first.next().getJobId()).isEqualTo(1);

        Stream second = new Stream(assistant);
        second.send(2, "{\"n\": 2}");
        assertThat(second.next()).as("refused").isNull();
        assertThat(second.error.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);

        first.send(3, "{\"n\": 3}");
        assertThat(first.next().getJobId()).as("the first still runs jobs").isEqualTo(3);
        first.requests.onCompleted();
        assertThat(first.next()).isNull();

        Stream again = new Stream(assistant);
        again.send(4, "{\"n\": 4}");
        assertThat(again.next().getJobId()).isEqualTo(4);
    }

    /** One Work stream; answers one by one, null once it ended. */
    private static final class Stream {
        private static final ExecuteResponse END = ExecuteResponse.getDefaultInstance();
        final LinkedBlockingQueue<ExecuteResponse> answers = new LinkedBlockingQueue<>();
        final StreamObserver<WorkBatch> requests;
        volatile Status error;

        Stream(Channel channel) {
            requests = WorkerGrpc.newStub(channel).work(new StreamObserver<>() {
                public void onNext(AnswerBatch b) {
                    answers.addAll(b.getAnswersList());
                }

                public void onError(Throwable t) {
                    error = Status.fromThrowable(t);
                    answers.add(END);
                }

                public void onCompleted() {
                    answers.add(END);
                }
            });
        }

        void send(long id, String payload) {
            requests.onNext(WorkBatch.newBuilder().addJobs(ExecuteRequest.newBuilder().setJobId(id).setType("echo")
                    .setAttempt(1).setPayload(ByteString.copyFromUtf8(payload))).build());
        }

        ExecuteResponse next() throws InterruptedException {
            ExecuteResponse r = answers.poll(30, TimeUnit.SECONDS);
            assertThat(r).as("an answer or the end within 30 s").isNotNull();
            return r == END ? null : r;
        }
    }
}

package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.RunningJob;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AssistantServiceTest {
    private final SlotPool pool = new SlotPool(List.of(new SlotPoolTest.Slot("w1", false)));
    private final ResultOutbox outbox = new ResultOutbox();
    private final RunningJobs running = new RunningJobs();
    private final Lifecycle lifecycle = new Lifecycle();
    private final EpochGate epochs = new EpochGate();
    private final LocalQueue queue = new LocalQueue(pool, running, outbox, lifecycle, 1);
    private final AssistantService service = new AssistantService(pool, running, lifecycle, epochs, queue);

    @Test
    void a_registration_reports_each_job_once_with_its_newest_attempt_running_or_ended_unacknowledged() {
        deliver(7, 2);
        outbox.add(outcome(7, 1)); // its first attempt, not acknowledged yet: the one running is what counts
        outbox.add(outcome(8, 1));

        assertThat(queue.registrationReport()).containsExactlyInAnyOrder(
                RunningJob.newBuilder().setJobId(7).setAttempt(2).setWorker("w1").build(),
                RunningJob.newBuilder().setJobId(8).setAttempt(1).setWorker("w0").build());
    }

    @Test
    void a_delivery_or_cancel_from_an_older_epoch_than_the_highest_seen_is_refused() {
        epochs.accept(5);
        java.util.concurrent.atomic.AtomicReference<Throwable> deliver = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> cancel = new java.util.concurrent.atomic.AtomicReference<>();

        service.deliver(DeliverRequest.newBuilder().setEpoch(4).addJobs(Delivery.newBuilder().setJobId(1)
                .setAttempt(1).setType("noop")).build(), failures(deliver));
        service.cancel(io.earthling.protocol.CancelRequest.newBuilder().setEpoch(4).setJobId(1).build(),
                failures(cancel));

        assertThat(deliver.get()).hasMessageContaining("stale epoch 4: this node follows epoch 5");
        assertThat(cancel.get()).hasMessageContaining("stale epoch 4");
        assertThat(queue.snapshot()).isEmpty();
        assertThat(epochs.highest()).isEqualTo(5);
    }

    private static <T> StreamObserver<T> failures(java.util.concurrent.atomic.AtomicReference<Throwable> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T v) {
                throw new AssertionError("answered " + v);
            }

            @Override
            public void onError(Throwable t) {
                into.set(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private void deliver(long job, int attempt) {
        service.deliver(DeliverRequest.newBuilder().setEpoch(1).addJobs(Delivery.newBuilder().setJobId(job)
                .setAttempt(attempt).setType("noop")).build(), new StreamObserver<DeliverResponse>() {
                    @Override
                    public void onNext(DeliverResponse r) {
                        assertThat(r.getAcceptedList()).contains(job);
                    }

                    @Override
                    public void onError(Throwable t) {
                        throw new AssertionError(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private static JobOutcome outcome(long job, int attempt) {
        return JobOutcome.newBuilder().setJobId(job).setAttempt(attempt).setWorker("w0")
                .setStatus(JobOutcome.Status.SUCCEEDED).build();
    }
}

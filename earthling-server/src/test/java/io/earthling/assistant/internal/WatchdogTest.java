package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.manager.internal.leadership.TimingContract;
import io.earthling.protocol.DeliverRequest;
import io.earthling.protocol.DeliverResponse;
import io.earthling.protocol.Delivery;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Self-fencing, driven tick by tick on a clock the test moves. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WatchdogTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Lifecycle lifecycle = new Lifecycle(clock::get);
    private final SlotPool pool = new SlotPool(List.of(new SlotPoolTest.Slot("w1", false)));
    private final RunningJobs running = new RunningJobs(clock::get);
    private final LocalQueue queue = new LocalQueue(pool, running, new ResultOutbox(), lifecycle, 1);
    private final AssistantService service = new AssistantService(pool, running, lifecycle, new EpochGate(), queue);
    private final Watchdog watchdog = new Watchdog(List.of(), running, lifecycle, queue);

    @Test
    void a_node_in_contact_fences_nothing() {
        lifecycle.registered(clock.get(), 2_500);
        RunningJobs.Entry job = deliver(1);

        clock.addAndGet(2_500);
        watchdog.tick(clock.get());

        assertThat(job.stopReason).isNull();
        assertThat(lifecycle.takesWork()).isTrue();
    }

    @Test
    void past_the_deadline_the_node_fences_itself_and_stops_its_jobs() {
        lifecycle.registered(clock.get(), 2_500);
        RunningJobs.Entry job = deliver(1);

        clock.addAndGet(2_501);
        watchdog.tick(clock.get());

        assertThat(job.stopReason).contains("self-fenced");
        assertThat(lifecycle.takesWork()).isFalse();
    }

    @Test
    void the_watchdog_fences_the_node_even_while_a_registration_holds_the_lock() throws Exception {
        lifecycle.registered(clock.get(), 2_500);
        RunningJobs.Entry job = deliver(1);
        deliver(2); // waits here: the one worker is busy
        assertThat(queue.waitingCount()).isEqualTo(1);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread registration = new Thread(() -> {
            lifecycle.registration.lock(); // a registration waiting seconds on a silent manager
            try {
                held.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lifecycle.registration.unlock();
            }
        });
        registration.start();
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

        clock.addAndGet(2_501);
        watchdog.tick(clock.get());

        assertThat(job.stopReason).as("running jobs stop at once").contains("self-fenced");
        assertThat(queue.waitingCount()).as("the waiting job stays for the registration's report").isEqualTo(1);
        release.countDown();
        registration.join(5_000);

        watchdog.tick(clock.get());
        assertThat(queue.waitingCount()).as("dropped once the registration let go").isZero();
    }

    @Test
    void a_registration_that_succeeds_while_the_watchdog_waits_for_the_lock_keeps_the_waiting_jobs() throws Exception {
        lifecycle.registered(clock.get(), 2_500);
        deliver(1);
        deliver(2);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread registration = new Thread(() -> {
            lifecycle.registration.lock();
            try {
                held.countDown();
                release.await(10, TimeUnit.SECONDS);
                lifecycle.registered(clock.get(), 2_500); // the leader adopted what it reported
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lifecycle.registration.unlock();
            }
        });
        registration.start();
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        clock.addAndGet(2_501);
        watchdog.tick(clock.get());

        release.countDown();
        registration.join(5_000);
        watchdog.tick(clock.get());

        assertThat(queue.waitingCount()).isEqualTo(1);
        assertThat(lifecycle.takesWork()).isTrue();
    }

    @Test
    void a_jobs_timeout_counts_on_the_monotonic_clock_and_a_wall_clock_step_kills_nothing() {
        lifecycle.registered(clock.get(), 60_000);
        RunningJobs.Entry job = deliver(1, 1_000);

        watchdog.tick(clock.get()); // whatever the wall clock says now, only the monotonic one counts
        clock.addAndGet(1_000 + Watchdog.GRACE_MS - 1);
        watchdog.tick(clock.get());
        assertThat(job.stopReason).as("within its timeout and the grace").isNull();

        clock.addAndGet(1);
        watchdog.tick(clock.get());
        assertThat(job.stopReason).contains("timed out after 1000 ms");
        assertThat(lifecycle.inContact()).isTrue();
    }

    @Test
    void fencing_starts_before_the_leader_declares_the_node_lost() {
        for (long[] t : new long[][] {{1_000, 3_000}, {200, 3_000}, {500, 1_500}, {5_000, 15_000}, {200, 1_000}}) {
            long heartbeat = t[0];
            long grace = t[1];
            long selfFence = TimingContract.selfFenceMs(grace, heartbeat);
            assertThat(selfFence + Watchdog.TICK_MS).as("heartbeat %d, grace %d", heartbeat, grace)
                    .isLessThanOrEqualTo(grace);
            assertThat(selfFence).as("heartbeat %d, grace %d: at least one missed beat", heartbeat, grace)
                    .isGreaterThan(Math.min(heartbeat, grace / 2 - 1));
        }
        assertThat(TimingContract.WATCHDOG_TICK_MS).isEqualTo(Watchdog.TICK_MS);
        assertThat(TimingContract.selfFenceMs(3_000, 1_000)).as("the defaults").isEqualTo(2_500);
    }

    private RunningJobs.Entry deliver(long jobId) {
        return deliver(jobId, 0);
    }

    private RunningJobs.Entry deliver(long jobId, long timeoutMs) {
        service.deliver(DeliverRequest.newBuilder().setEpoch(1).addJobs(Delivery.newBuilder().setJobId(jobId)
                .setAttempt(1).setType("noop").setTimeoutMs(timeoutMs)).build(), new StreamObserver<DeliverResponse>() {
                    @Override
                    public void onNext(DeliverResponse r) {
                        assertThat(r.getAcceptedList()).contains(jobId);
                    }

                    @Override
                    public void onError(Throwable t) {
                        throw new AssertionError(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return running.get(jobId);
    }
}

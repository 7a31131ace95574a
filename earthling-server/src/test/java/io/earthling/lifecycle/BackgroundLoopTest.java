package io.earthling.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.core.MonotonicClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BackgroundLoopTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration AN_HOUR = Duration.ofHours(1);

    private Loop loop;

    @AfterEach
    void stopTheLoop() {
        if (loop != null) {
            loop.stop();
        }
    }

    @Test
    void a_started_loop_iterates_on_its_own_thread_and_stop_waits_until_that_thread_ends() {
        loop = new Loop(n -> AN_HOUR);
        arm(loop);
        loop.start();

        loop.signals().iterated().await(SOON);
        assertThat(loop.lastThread.get().getName()).isEqualTo("test-loop");
        loop.stop();

        assertThat(loop.signals().stopped().poll()).as("ended before stop() returned").contains("test-loop");
        assertThat(loop.lastThread.get().isAlive()).isFalse();
        assertThat(loop.iterations.get()).isEqualTo(1);
    }

    @Test
    void a_nudge_ends_a_long_wait_at_once() {
        loop = new Loop(n -> AN_HOUR);
        arm(loop);
        loop.start();
        loop.signals().iterated().await(SOON);

        loop.nudge();

        loop.signals().iterated().await(SOON);
        assertThat(loop.iterations.get()).isEqualTo(2);
    }

    @Test
    void a_nudge_during_an_iteration_skips_the_wait_after_it() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        loop = new Loop(n -> {
            if (n == 1) {
                inside.countDown();
                await(goOn);
            }
            return AN_HOUR;
        });
        arm(loop);
        loop.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        loop.nudge();
        goOn.countDown();

        loop.signals().iterated().await(SOON);
        loop.signals().iterated().await(SOON);
        assertThat(loop.iterations.get()).isEqualTo(2);
    }

    @Test
    void a_wait_of_any_length_is_ended_by_a_nudge() {
        loop = new Loop(n -> java.time.temporal.ChronoUnit.FOREVER.getDuration());
        arm(loop);
        loop.start();
        loop.signals().iterated().await(SOON);

        loop.nudge();

        loop.signals().iterated().await(SOON);
    }

    @Test
    void waits_are_measured_on_the_loops_own_clock() {
        // A clock an hour further on at every reading: an hour's wait is over as soon as it begins.
        AtomicLong now = new AtomicLong();
        loop = new Loop(n -> AN_HOUR, () -> now.addAndGet(AN_HOUR.toNanos()));
        arm(loop);
        loop.start();

        for (int i = 0; i < 3; i++) {
            loop.signals().iterated().await(SOON);
        }
    }

    @Test
    void a_loop_that_stops_itself_ends_after_that_iteration() {
        loop = new Loop(n -> Duration.ZERO);
        loop.onIteration = n -> {
            if (n == 3) {
                loop.stop();
            }
        };
        arm(loop);
        loop.start();

        assertThat(loop.signals().stopped().await(SOON)).isEqualTo("test-loop");
        assertThat(loop.iterations.get()).isEqualTo(3);
    }

    @Test
    void stop_from_another_thread_waits_for_the_iteration_in_progress() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        AtomicBoolean iterationEnded = new AtomicBoolean();
        loop = new Loop(n -> {
            inside.countDown();
            await(goOn);
            iterationEnded.set(true);
            return Duration.ZERO;
        });
        arm(loop);
        loop.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> stopped = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            loop.stop();
            stopped.complete(iterationEnded.get());
        }, "stopper");
        stopper.start();
        // stop() has begun when the stopper waits for the loop's thread to end; only then may the iteration end.
        Awaitility.await().atMost(SOON).until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
        goOn.countDown();

        assertThat(stopped.get(10, TimeUnit.SECONDS)).as("the iteration had ended when stop() returned").isTrue();
        assertThat(loop.iterations.get()).as("no iteration after stop").isEqualTo(1);
    }

    @Test
    void a_failing_iteration_is_logged_and_the_loop_goes_on_after_the_retry_delay() {
        loop = new Loop(n -> {
            if (n == 1) {
                throw new IllegalStateException("database away");
            }
            return AN_HOUR;
        });
        arm(loop);
        String logged = capturingStandardError(() -> {
            loop.start();
            assertThat(loop.signals().failed().await(SOON)).hasMessage("database away");
            loop.signals().iterated().await(SOON);
        });

        assertThat(loop.iterations.get()).isEqualTo(2);
        assertThat(logged).contains("WARN").contains("test-loop failed (java.lang.IllegalStateException: database away);"
                + " trying again in 1 ms");
    }

    @Test
    void a_loop_stopped_before_it_starts_never_runs() {
        loop = new Loop(n -> Duration.ZERO);
        arm(loop);
        loop.stop();
        loop.start();

        assertThat(loop.signals().iterated().poll()).isEmpty();
        assertThat(loop.iterations.get()).isZero();
    }

    @Test
    void a_loop_starts_once() {
        loop = new Loop(n -> AN_HOUR);
        loop.start();

        assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    }

    @Test
    void an_owner_may_lend_its_own_thread_and_stop_still_waits_for_it() throws Exception {
        loop = new Loop(n -> AN_HOUR);
        arm(loop);
        Thread owners = new Thread(loop::runOnCallingThread, "owners-thread");
        owners.start();
        loop.signals().iterated().await(SOON);

        loop.stop();

        assertThat(owners.isAlive()).isFalse();
        assertThat(loop.lastThread.get()).isSameAs(owners);
    }

    private static void arm(BackgroundLoop l) {
        l.signals().iterated().arm();
        l.signals().failed().arm();
        l.signals().stopped().arm();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String capturingStandardError(Runnable r) {
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A loop whose n-th iteration (from 1) does what the test says; counts iterations, remembers its thread. */
    private static final class Loop extends BackgroundLoop {
        final AtomicInteger iterations = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicReference<Thread> lastThread = new java.util.concurrent.atomic.AtomicReference<>();
        private final IntFunction<Duration> body;
        volatile java.util.function.IntConsumer onIteration = n -> { };

        Loop(IntFunction<Duration> body) {
            this(body, MonotonicClock.SYSTEM);
        }

        Loop(IntFunction<Duration> body, MonotonicClock clock) {
            super("test-loop", clock, Duration.ofMillis(1));
            this.body = body;
        }

        @Override
        protected Duration iterate() {
            lastThread.set(Thread.currentThread());
            int n = iterations.incrementAndGet();
            onIteration.accept(n);
            return body.apply(n);
        }
    }
}

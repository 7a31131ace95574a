package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobRunnerTest {
    private final JobRunner runner = new JobRunner(HandlerRegistry.load(null, List.of()));

    @Test
    void anUnknownTypeFailsForGoodAndNamesWhatThisWorkerRuns() {
        Outcome outcome = runner.run(new Execution(1, "x", "default", "{}", 1, 0));

        assertThat(outcome).isEqualTo(Outcome.failed(
                "unknown job type 'x' (this worker runs: analyze, command, crawl, double-sum, echo, fail, fanout, mark, noop, "
                        + "pipeline, preprocess, sleep, spin, sum, wordcount, wordcount-split)", false, ""));
    }

    @Test
    void anAttemptPastItsTimeoutFailsRetryably() {
        long start = System.nanoTime();
        Outcome outcome = runner.run(new Execution(1, "sleep", "default", "{\"ms\": 30000}", 1, 100));

        assertThat(outcome).isEqualTo(Outcome.failed("timed out after 100 ms", true, "sleeping 30000 ms\n"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anAttemptWithinItsTimeoutSucceeds() {
        assertThat(runner.run(new Execution(1, "sleep", "default", "{\"ms\": 1}", 1, 5000)).ok()).isTrue();
    }

    @Test
    void anInterruptedAttemptEndsCancelled() throws Exception {
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(
                () -> runner.run(new Execution(7, "sleep", "default", "{\"ms\": 30000}", 1, 0)));
        while (!runner.interrupt(7)) {
            Thread.sleep(5);
        }

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(Outcome.cancelled("sleeping 30000 ms\n"));
    }

    @Test
    void interruptingAJobThatIsNotRunningDoesNothing() {
        assertThat(runner.interrupt(42)).isFalse();
    }

    @Test
    void aPayloadThatIsNotJsonFailsForGood() {
        Outcome outcome = runner.run(new Execution(1, "sleep", "default", "{ms: 1", 1, 0));

        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.error()).startsWith("payload is not valid JSON");
    }
}

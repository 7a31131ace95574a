package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {
    private final JobRunner runner = new JobRunner(HandlerRegistry.load(null, List.of("/bin/cat", "/bin/sh")));

    @Test
    void catReturnsJsonStdinAsItsResult() {
        Outcome outcome = run("{\"command\": \"/bin/cat\", \"stdin\": \"{\\\"n\\\": 1}\"}", 0);

        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.result()).isEqualTo("{\"n\": 1}");
    }

    @Test
    void withoutStdinTheWholePayloadIsPiped() {
        String payload = "{\"command\": \"/bin/cat\"}";

        assertThat(run(payload, 0).result()).isEqualTo(payload);
    }

    @Test
    void stdoutThatIsNotJsonBecomesAJsonString() {
        assertThat(run("{\"command\": \"/bin/cat\", \"stdin\": \"hello\\nworld\"}", 0).result())
                .isEqualTo("\"hello\\nworld\"");
    }

    @Test
    void aNonZeroExitFailsWithTheCodeAndStderrTail() {
        Outcome outcome = run("{\"command\": \"/bin/sh\", \"args\": [\"-c\", \"echo oops >&2; exit 3\"]}", 0);

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.error()).isEqualTo("command exited with 3: oops");
        assertThat(outcome.log()).isEqualTo("oops\n");
    }

    @Test
    void aCommandNotInTheAllowListIsRefusedForGood() {
        Outcome outcome = run("{\"command\": \"/bin/ls\"}", 0);

        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.error()).contains("'/bin/ls'", "worker.commands", "/bin/cat, /bin/sh");
    }

    @Test
    void nothingRunsWhenTheAllowListIsEmpty() {
        Outcome outcome = new JobRunner(HandlerRegistry.load(null, List.of()))
                .run(new Execution(1, "command", "default", "{\"command\": \"/bin/cat\"}", 1, 0));

        assertThat(outcome.error()).contains("allowed now: none");
    }

    @Test
    void aTimedOutCommandIsKilled() {
        long start = System.nanoTime();
        Outcome outcome = run("{\"command\": \"/bin/sh\", \"args\": [\"-c\", \"sleep 30\"]}", 200);

        assertThat(outcome.error()).isEqualTo("timed out after 200 ms");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }

    @Test
    void anInterruptedCommandEndsCancelled() throws Exception {
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> runner.run(
                new Execution(9, "command", "default", "{\"command\": \"/bin/sh\", \"args\": [\"-c\", \"sleep 30\"]}", 1, 0)));
        while (!runner.interrupt(9)) {
            Thread.sleep(10);
        }

        assertThat(outcome.get(10, TimeUnit.SECONDS).cancelled()).isTrue();
    }

    private Outcome run(String payload, long timeoutMs) {
        return runner.run(new Execution(1, "command", "default", payload, 1, timeoutMs));
    }
}

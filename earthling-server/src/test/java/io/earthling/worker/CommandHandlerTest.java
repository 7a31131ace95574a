package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {
    private final JobRunner runner = new JobRunner(HandlerRegistry.load(null, List.of("/bin/cat", "/bin/sh", "/usr/bin/env")));

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

    @Test
    void aCommandSeesOnlyTheAllowedVariablesAndItsOwnTmpdir() {
        Outcome outcome = run("{\"command\": \"/usr/bin/env\"}", 0);

        assertThat(outcome.ok()).isTrue();
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String line : text(outcome.result()).split("\n")) {
            names.add(line.substring(0, Math.max(0, line.indexOf('='))));
        }
        assertThat(names).isSubsetOf(new java.util.TreeSet<>(List.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE",
                "TZ", "USER", "LOGNAME", "TMPDIR"))).contains("TMPDIR");
    }

    @Test
    void aCommandRunsInADirectoryOfItsOwnThatIsGoneAfterwards() {
        Outcome outcome = run("{\"command\": \"/bin/sh\", \"args\": [\"-c\", \"pwd; touch left-behind; test \\\"$TMPDIR\\\" = \\\"$(pwd)\\\"\"]}", 0);

        assertThat(outcome.ok()).as(outcome.error()).isTrue();
        String dir = text(outcome.result()).strip();
        assertThat(dir).contains("earthling-job-1-");
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(dir))).as("deleted after the job").isFalse();
    }

    @Test
    void stdoutBeyondTheCapIsDroppedWithANote() {
        JobRunner capped = new JobRunner(HandlerRegistry.of(List.of(new io.earthling.worker.internal.CommandHandler(
                List.of("/bin/sh"), io.earthling.worker.internal.CommandEnvironment.DEFAULT, 1000))));
        Outcome outcome = capped.run(new Execution(1, "command", "default",
                "{\"command\": \"/bin/sh\", \"args\": [\"-c\", \"head -c 5000 /dev/zero | tr '\\\\0' x\"]}", 1, 0));

        assertThat(outcome.ok()).as(outcome.error()).isTrue();
        assertThat(outcome.result()).isEqualTo("\"" + "x".repeat(1000) + "\"");
        assertThat(outcome.log()).contains("[stdout truncated at 1000 bytes: 4000 more bytes dropped]");
    }

    @Test
    void aHugeStderrLineComesInPiecesAndTheLogStaysBounded() {
        Outcome outcome = run("{\"command\": \"/bin/sh\", \"args\": [\"-c\", \"head -c 3000000 /dev/zero | tr '\\\\0' y >&2\"]}", 0);

        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.log().length()).isLessThan(io.earthling.worker.internal.LogBuffer.LIMIT_CHARS + 200);
        assertThat(outcome.log()).contains("more lines dropped");
    }

    private static String text(String jsonString) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(jsonString, String.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Outcome run(String payload, long timeoutMs) {
        return runner.run(new Execution(1, "command", "default", payload, 1, timeoutMs));
    }
}

package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInHandlersTest {
    private final JobRunner runner = new JobRunner(HandlerRegistry.load(null, List.of()));

    @Test
    void noopSucceedsWithNoResult() {
        assertThat(run("noop", "{}")).isEqualTo(Outcome.succeeded(null, ""));
    }

    @Test
    void echoReturnsItsPayload() {
        assertThat(run("echo", "{\"a\": [1, 2]}").result()).isEqualTo("{\"a\": [1, 2]}");
    }

    @Test
    void sleepSleepsAndSaysHowLong() {
        long start = System.nanoTime();
        Outcome outcome = run("sleep", "{\"ms\": 50}");

        assertThat(outcome.result()).isEqualTo("{\"sleptMs\":50}");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
    }

    @Test
    void sleepWithoutMsIsRefusedForGood() {
        assertThat(run("sleep", "{}")).extracting(Outcome::ok, Outcome::retryable).containsExactly(false, false);
    }

    @Test
    void failFailsWithItsMessageOrADefault() {
        assertThat(run("fail", "{\"message\": \"boom\"}")).isEqualTo(Outcome.failed("boom", true, ""));
        assertThat(run("fail", "{}").error()).isEqualTo("failed on purpose");
        assertThat(run("fail", "{\"retryable\": false}").retryable()).isFalse();
    }

    @Test
    void theBuiltInsAndClasspathHandlersAreListedSorted() {
        assertThat(HandlerRegistry.load(null, List.of()).types())
                .containsExactly("analyze", "command", "crawl", "double-sum", "echo", "fail", "fanout", "leaf", "mark", "noop", "pipeline",
                        "pipeline-pass", "preprocess", "preprocess-collect", "preprocess-doc", "sleep", "spin", "sum",
                        "wordcount", "wordcount-merge", "wordcount-part", "wordcount-split");
    }

    private Outcome run(String type, String payload) {
        return runner.run(new Execution(1, type, "default", payload, 1, 0));
    }
}

package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobContext;
import io.earthling.api.JobHandler;
import io.earthling.worker.internal.LogBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRunnerOutcomesTest {
    @Test
    void anUnexpectedExceptionFailsRetryablyWithItsClassAndMessage() throws Exception {
        JobHandler h = handler(c -> {
            throw new IllegalStateException("disk full");
        });

        assertThat(outcomeOf(h)).isEqualTo(Outcome.failed("java.lang.IllegalStateException: disk full", true, ""));
    }

    @Test
    void aResultThatIsNotJsonFailsTheAttempt() throws Exception {
        assertThat(outcomeOf(handler(c -> "not json")).error()).isEqualTo("handler returned invalid JSON");
        assertThat(outcomeOf(handler(c -> "{} {}")).error()).isEqualTo("handler returned invalid JSON");
    }

    @Test
    void logLinesComeBackWithTheOutcome() throws Exception {
        assertThat(outcomeOf(handler(c -> {
            c.log("one");
            c.log("two");
            return "1";
        }))).isEqualTo(Outcome.succeeded("1", "one\ntwo\n"));
    }

    @Test
    void aLongLogIsTruncatedWithANote() {
        LogBuffer log = new LogBuffer();
        for (int i = 0; i < 10_000; i++) {
            log.append("line " + i + " of a chatty handler");
        }

        assertThat(log.toString()).hasSizeLessThan(LogBuffer.LIMIT_CHARS + 100)
                .endsWith(" more lines dropped]\n").startsWith("line 0 of");
    }

    @Test
    void aSplitMadeByTheApiIsMarkedAsOneAndATextThatReadsLikeOneIsAResult() throws Exception {
        io.earthling.api.Split split = io.earthling.api.Split.indexed("leaf", 3, "{}", "sum");
        Outcome made = outcomeOf(handler(c -> split.toResult()));
        assertThat(made.split()).isTrue();
        assertThat(made.result()).isEqualTo(split.toResult());

        String copy = new String(split.toResult().toCharArray());
        Outcome echoed = outcomeOf(handler(c -> copy));
        assertThat(echoed.split()).as("the same text, not the string the API made").isFalse();
        assertThat(echoed.result()).isEqualTo(copy);
    }

    interface Body {
        String run(JobContext c) throws Exception;
    }

    private static JobHandler handler(Body body) {
        return new JobHandler() {
            @Override
            public String type() {
                return "t";
            }

            @Override
            public String handle(JobContext context) throws Exception {
                return body.run(context);
            }
        };
    }

    private static Outcome outcomeOf(JobHandler h) throws Exception {
        return new JobRunner(HandlerRegistry.of(List.of(h))).run(new Execution(1, "t", "default", "{}", 1, 0));
    }
}

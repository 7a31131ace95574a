package io.earthling.manager.internal.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.earthling.api.JobSpec;
import io.earthling.api.Split;
import io.earthling.manager.InputLimits;
import io.earthling.protocol.manager.JobOutcome;
import io.earthling.protocol.manager.ResultBatch;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Outcomes as they enter the manager: caps on errors and logs, splits checked like submissions (issue 16). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutcomeIntakeTest {
    private static final InputLimits LIMITS = new InputLimits(10, 3, 100, 200, 10, 1000, 10);
    private long depth;
    private final OutcomeIntake intake = new OutcomeIntake(1000, LIMITS, id -> depth);

    @Test
    void a_split_within_the_limits_passes_unchanged() {
        JobOutcome o = split(Split.indexed("leaf", 10, "{}", "sum"));
        assertThat(apply(o)).isSameAs(o);
    }

    @Test
    void a_split_over_the_children_cap_fails_for_good_and_carries_no_children() {
        JobOutcome o = apply(split(Split.indexed("leaf", 11, "{}", "sum")));
        assertThat(o.getStatus()).isEqualTo(JobOutcome.Status.FAILED);
        assertThat(o.getRetryable()).isFalse();
        assertThat(o.getSplit()).isFalse();
        assertThat(o.getResult().isEmpty()).isTrue();
        assertThat(o.getError()).isEqualTo("split refused: 11 children, over the limit of 10 (limits.maxSplitChildren)");
    }

    @Test
    void a_split_too_deep_is_refused() {
        depth = 2;
        assertThat(apply(split(Split.indexed("leaf", 1, "{}", "sum"))).getStatus()).isEqualTo(JobOutcome.Status.SUCCEEDED);
        depth = 3;
        assertThat(apply(split(Split.indexed("leaf", 1, "{}", "sum"))).getError())
                .contains("4 splits deep, over the limit of 3 (limits.maxSplitDepth)");
    }

    @Test
    void children_pass_the_checks_of_a_submission() {
        assertThat(OutcomeIntake.refusal(Split.of(List.of(JobSpec.of("noop", "{}").withQueue("bad queue <b>x</b>")),
                "sum"), 1000, 10)).isEqualTo("child 0 queue: not a valid name: \"bad queue <b>x</b>\" (letters, digits, _ . -; at most 64)");
        assertThat(OutcomeIntake.refusal(Split.of(List.of(JobSpec.of("no op", "{}")), "sum"), 1000, 10))
                .startsWith("child 0 type: not a valid name");
        assertThat(OutcomeIntake.refusal(Split.of(List.of(JobSpec.of("noop", "{\"x\":\"" + "a".repeat(2000) + "\"}")),
                "sum"), 1000, 10)).startsWith("child 0 payload: 2008 bytes is over the limit of 1000 bytes");
        assertThat(OutcomeIntake.refusal(Split.of(List.of(), "s u m"), 1000, 10)).startsWith("gather type: not a valid name");
        assertThat(OutcomeIntake.refusal(Split.indexed("leaf", 2, "{\"x\":\"" + "a".repeat(2000) + "\"}", "sum"), 1000, 10))
                .startsWith("indexed base payload: ");
        assertThat(OutcomeIntake.refusal(Split.of(List.of(JobSpec.of("noop", "{}").withQueue("q-1")), "sum"), 1000, 10))
                .isNull();
    }

    @Test
    void a_marked_split_that_does_not_parse_is_refused() {
        JobOutcome o = apply(base().setResult(ByteString.copyFromUtf8("{\"x\": 1}")).setSplit(true).build());
        assertThat(o.getError()).startsWith("split refused: malformed");
    }

    @Test
    void long_errors_and_logs_are_cut_with_a_note_within_their_limits() {
        JobOutcome o = apply(base().setStatus(JobOutcome.Status.FAILED).setError("é".repeat(500)).setLog("x".repeat(5000))
                .build());
        assertThat(o.getError().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100);
        assertThat(o.getError()).startsWith("éé").endsWith("[error cut at 100 bytes: 1000 bytes reported]");
        assertThat(o.getLog()).hasSizeLessThanOrEqualTo(200).endsWith("[log cut at 200 bytes: 5000 bytes reported]");
        JobOutcome small = base().setError("short").setLog("short").build();
        assertThat(apply(small)).isSameAs(small);
    }

    private JobOutcome apply(JobOutcome o) {
        return intake.apply(ResultBatch.newBuilder().setNodeId("n").addOutcomes(o).build()).getOutcomes(0);
    }

    private static JobOutcome.Builder base() {
        return JobOutcome.newBuilder().setJobId(7).setAttempt(1).setStatus(JobOutcome.Status.SUCCEEDED);
    }

    private static JobOutcome split(Split s) {
        return base().setResult(ByteString.copyFromUtf8(s.toResult())).setSplit(true).build();
    }
}

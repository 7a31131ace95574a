package io.earthling.assistant.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.earthling.protocol.manager.JobOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultOutboxTest {
    private static JobOutcome outcome(long id, int resultBytes) {
        return JobOutcome.newBuilder().setJobId(id).setAttempt(1)
                .setResult(ByteString.copyFromUtf8("x".repeat(resultBytes))).build();
    }

    @Test
    void a_report_stops_before_its_outcomes_outgrow_the_byte_budget_and_the_rest_follow_in_order() throws Exception {
        ResultOutbox outbox = new ResultOutbox();
        for (long id = 1; id <= 5; id++) {
            outbox.add(outcome(id, 1_000));
        }
        List<JobOutcome> first = outbox.next(1000, 2_500, 0);
        assertThat(first).extracting(JobOutcome::getJobId).containsExactly(1L, 2L);
        assertThat(outbox.next(1000, 2_500, 0)).as("unacknowledged: the same report again").isEqualTo(first);
        outbox.acknowledged();
        assertThat(outbox.next(1000, 2_500, 0)).extracting(JobOutcome::getJobId).containsExactly(3L, 4L);
        outbox.acknowledged();
        assertThat(outbox.next(1000, 2_500, 0)).extracting(JobOutcome::getJobId).containsExactly(5L);
    }

    @Test
    void one_outcome_over_the_budget_still_goes_alone() throws Exception {
        ResultOutbox outbox = new ResultOutbox();
        outbox.add(outcome(1, 5_000));
        outbox.add(outcome(2, 10));
        assertThat(outbox.next(1000, 2_500, 0)).extracting(JobOutcome::getJobId).containsExactly(1L);
    }

    @Test
    void an_answer_too_large_for_any_report_is_kept_as_a_failure_that_says_so() throws Exception {
        ResultOutbox outbox = new ResultOutbox();
        outbox.add(outcome(7, ResultOutbox.MAX_OUTCOME_BYTES + 1));
        JobOutcome kept = outbox.next(1000, 2_500, 0).get(0);
        assertThat(kept.getJobId()).isEqualTo(7);
        assertThat(kept.getStatus()).isEqualTo(JobOutcome.Status.FAILED);
        assertThat(kept.getRetryable()).isFalse();
        assertThat(kept.getResult().isEmpty()).isTrue();
        assertThat(kept.getError()).contains("over the").contains("bytes one report may carry");
    }
}

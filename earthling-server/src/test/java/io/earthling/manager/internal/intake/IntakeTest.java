package io.earthling.manager.internal.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.earthling.api.EarthlingException;
import io.earthling.core.QueueLimits;
import io.earthling.protocol.jobs.SubmitRequest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IntakeTest {
    final Intake intake = new Intake(1024, Map.of("mail", new QueueLimits(1, 0, 0, 7)), Map.of("fail", 5));
    final Intake.TypeCheck types = Intake.TypeCheck.of(Set.of("echo", "fail"));

    SubmitRequest.Builder echo() {
        return SubmitRequest.newBuilder().setType("echo").setPayload(ByteString.copyFromUtf8("{}"));
    }

    @Test
    void a_job_that_names_no_attempts_gets_its_queues_default_or_three() {
        assertThat(intake.validate(echo().setQueue("mail").build(), types, 0).maxAttempts()).isEqualTo(7);
        assertThat(intake.validate(echo().setQueue("other").build(), types, 0).maxAttempts()).isEqualTo(3);
        assertThat(intake.validate(echo().setQueue("mail").setMaxAttempts(2).build(), types, 0).maxAttempts()).isEqualTo(2);
    }

    @Test
    void a_types_attempts_come_before_its_queues_and_after_the_jobs_own() {
        SubmitRequest.Builder fail = echo().setType("fail");
        assertThat(intake.validate(fail.setQueue("mail").build(), types, 0).maxAttempts()).isEqualTo(5);
        assertThat(intake.validate(fail.setQueue("other").build(), types, 0).maxAttempts()).isEqualTo(5);
        assertThat(intake.validate(fail.setQueue("mail").setMaxAttempts(2).build(), types, 0).maxAttempts()).isEqualTo(2);
    }

    @Test
    void a_concurrency_key_keeps_its_limit_and_a_missing_limit_means_one() {
        assertThat(intake.validate(echo().setConcurrencyKey("c7").setConcurrencyLimit(3).build(), types, 0)
                .concurrencyLimit()).isEqualTo(3);
        assertThat(intake.validate(echo().setConcurrencyKey("c7").build(), types, 0).concurrencyLimit()).isEqualTo(1);
    }

    @Test
    void an_overlong_concurrency_key_is_refused_with_its_name() {
        assertThatThrownBy(() -> intake.validate(echo().setConcurrencyKey("k".repeat(201)).build(), types, 0))
                .isInstanceOf(EarthlingException.class).hasMessageContaining("concurrencyKey");
    }

    @Test
    void a_delay_that_would_overflow_the_due_time_is_refused_and_ten_years_is_not() {
        assertThatThrownBy(() -> intake.validate(echo().setDelayMs(Long.MAX_VALUE).build(), types, 1_000))
                .isInstanceOf(EarthlingException.class).hasMessageContaining("at most " + Intake.MAX_DELAY_MS + " ms");
        assertThatThrownBy(() -> intake.validate(echo().setTimeoutMs(Long.MAX_VALUE).build(), types, 1_000))
                .isInstanceOf(EarthlingException.class);
        assertThat(intake.validate(echo().setDelayMs(Intake.MAX_DELAY_MS).build(), types, 1_000).runAtMs())
                .isEqualTo(1_000 + Intake.MAX_DELAY_MS);
    }
}

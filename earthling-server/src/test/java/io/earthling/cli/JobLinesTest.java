package io.earthling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JobLinesTest {
    @TempDir
    Path dir;

    @Test
    void every_field_of_a_line_becomes_part_of_its_job_and_blank_lines_are_skipped() throws IOException {
        Path file = Files.writeString(dir.resolve("jobs.jsonl"), """
                {"type": "echo", "payload": {"n": 1}, "queue": "q", "priority": 5, "maxAttempts": 2, "delay": 1500, "idempotencyKey": "k"}

                {"type": "noop"}
                """);

        List<JobSpec> jobs = JobLines.read(file);

        assertThat(jobs).hasSize(2);
        JobSpec first = jobs.get(0);
        assertThat(first.type()).isEqualTo("echo");
        assertThat(first.payload()).isEqualTo("{\"n\":1}");
        assertThat(first.queue()).isEqualTo("q");
        assertThat(first.priority()).isEqualTo(5);
        assertThat(first.maxAttempts()).isEqualTo(2);
        assertThat(first.delay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(first.idempotencyKey()).isEqualTo("k");
        assertThat(jobs.get(1)).isEqualTo(JobSpec.of("noop", "{}"));
    }

    @Test
    void a_malformed_line_is_refused_with_its_line_number() throws IOException {
        Path file = Files.writeString(dir.resolve("jobs.jsonl"), "{\"type\": \"echo\"}\n{\"type\": \"echo\",\n");

        assertThatThrownBy(() -> JobLines.read(file)).isInstanceOf(EarthlingException.class)
                .hasMessageStartingWith(file + ":2: not valid JSON").hasMessageEndingWith("nothing submitted");
    }

    @Test
    void a_line_without_a_type_or_with_an_unknown_field_or_a_bad_number_names_the_field() {
        assertThatThrownBy(() -> JobLines.parse("{\"payload\": {}}", "f:3")).hasMessage("f:3: type: missing or not a string; nothing submitted");
        assertThatThrownBy(() -> JobLines.parse("{\"type\": \"a\", \"prio\": 1}", "f:4")).hasMessageStartingWith("f:4: prio: unknown field");
        assertThatThrownBy(() -> JobLines.parse("{\"type\": \"a\", \"delay\": -5}", "f:5"))
                .hasMessage("f:5: delay: expected a whole number of at least 0, got -5; nothing submitted");
        assertThatThrownBy(() -> JobLines.parse("[1]", "f:6")).hasMessageContaining("expected a JSON object");
    }
}

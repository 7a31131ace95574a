package io.earthling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SoakTest {

    @Test
    void of_every_hundred_jobs_ninety_do_nothing_seven_wait_10_ms_two_wait_100_ms_and_one_fails() {
        Map<String, Long> mix = IntStream.range(1_000, 1_100).mapToObj(k -> Soak.spec(k, "127.0.0.1:1"))
                .map(JobSpec::payload).map(p -> p.replaceAll("\\{\"k\":\\d+,\"r\":\"127.0.0.1:1\",", ""))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(mix).containsExactlyInAnyOrderEntriesOf(Map.of("\"ms\":0}", 90L, "\"ms\":10}", 7L,
                "\"ms\":100}", 2L, "\"fail\":true,\"attempts\":3}", 1L));
        assertThat(Soak.spec(1_099, "a").maxAttempts()).isEqualTo(Soak.FAIL_ATTEMPTS);
        assertThat(Soak.spec(1_099, "a").type()).isEqualTo(SoakHandler.TYPE);
    }

    @Test
    void a_retention_age_reads_in_seconds_minutes_hours_or_days() {
        assertThat(Soak.seconds("90s")).isEqualTo(90);
        assertThat(Soak.seconds("5m")).isEqualTo(300);
        assertThat(Soak.seconds("2h")).isEqualTo(7_200);
        assertThat(Soak.seconds("1d")).isEqualTo(86_400);
    }

    @Test
    void a_bad_retention_age_is_refused_naming_the_option_and_the_value() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchMain()).setErr(new PrintWriter(err))
                .execute("soak", "--retention-succeeded", "5 minutes");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--retention-succeeded: a duration like 90s, 5m or 1h, got \"5 minutes\"");
    }
}

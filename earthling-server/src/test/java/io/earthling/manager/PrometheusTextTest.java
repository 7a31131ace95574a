package io.earthling.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The test parser is strict: what it accepts is valid exposition text, and it refuses what is not. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PrometheusTextTest {

    @Test
    void it_reads_counters_with_escaped_labels_and_a_histogram() {
        PrometheusText p = PrometheusText.parse("""
                # HELP a_total A "count" with \\\\ and \\n.
                # TYPE a_total counter
                a_total{q="x\\"y",t="z"} 3.0
                # TYPE h histogram
                h_bucket{le="0.1"} 1
                h_bucket{le="+Inf"} 2
                h_count 2
                h_sum 0.3
                """);
        assertThat(p.value("a_total", Map.of("q", "x\"y", "t", "z"))).isEqualTo(3.0);
        assertThat(p.value("h_count", Map.of())).isEqualTo(2.0);
        assertThat(p.helps).containsEntry("a_total", "A \"count\" with \\\\ and \\n.");
    }

    @Test
    void it_names_the_families_that_have_no_help_text() {
        PrometheusText p = PrometheusText.parse("""
                # HELP a_total counts a
                # TYPE a_total counter
                a_total 1
                # TYPE b_total counter
                b_total 1
                # HELP c
                # TYPE c gauge
                c 1
                """);
        assertThat(p.familiesWithoutHelp()).containsExactly("b_total", "c");
    }

    @Test
    void it_refuses_what_the_format_does_not_allow() {
        assertThatThrownBy(() -> PrometheusText.parse("a-b 1\n")).hasMessageContaining("bad metric name");
        assertThatThrownBy(() -> PrometheusText.parse("a{q=\"x\\t\"} 1\n")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\nb 1\na{x=\"1\"} 2\n")).hasMessageContaining("not contiguous");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\n# TYPE a gauge\n")).hasMessageContaining("TYPE after samples");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\na 2\n")).hasMessageContaining("duplicate series");
        assertThatThrownBy(() -> PrometheusText.parse("a one\n")).hasMessageContaining("bad value");
        assertThatThrownBy(() -> PrometheusText.parse("a 1")).hasMessageContaining("line feed");
        assertThatThrownBy(() -> PrometheusText.parse("# HELP a x\n# HELP a y\na 1\n")).hasMessageContaining("second HELP");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
                + "h_count 1\nh_sum 1\n")).hasMessageContaining("not cumulative");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n"))
                .hasMessageContaining("no +Inf bucket");
    }
}

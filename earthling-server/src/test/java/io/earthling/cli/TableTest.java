package io.earthling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TableTest {

    @Test
    void columns_are_as_wide_as_their_widest_cell_so_long_type_names_stay_in_line() {
        Table t = new Table(">ID", "TYPE", "STATE");
        t.row(7, "echo", "PENDING");
        t.row(1234, "preprocess-collect-with-a-long-name", null);

        assertThat(t.toString()).isEqualTo("""
                  ID  TYPE                                 STATE
                   7  echo                                 PENDING
                1234  preprocess-collect-with-a-long-name  -
                """);
    }

    @Test
    void a_long_value_is_clipped_with_a_note_on_how_to_see_all_of_it_unless_full() {
        OutputOptions out = new OutputOptions();
        String result = "x".repeat(OutputOptions.CLIP + 500);

        assertThat(out.clip(result)).startsWith("x".repeat(OutputOptions.CLIP) + "…")
                .endsWith("(1,500 characters in all; --full prints them, --json as JSON)");
        out.full = true;
        assertThat(out.clip(result)).isEqualTo(result);
    }
}

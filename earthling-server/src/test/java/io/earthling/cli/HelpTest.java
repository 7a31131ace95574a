package io.earthling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelpTest {

    @Test
    void every_commands_summary_in_the_top_level_help_is_a_whole_sentence() {
        // `earthling --help` lists each command with the first line of its description only.
        Map<String, CommandLine> commands = Main.commandLine().getSubcommands();

        assertThat(commands).isNotEmpty();
        commands.forEach((name, command) -> {
            String[] description = command.getCommandSpec().usageMessage().description();
            assertThat(description).as(name).isNotEmpty();
            assertThat(description[0]).as("summary of %s", name).endsWith(".");
        });
    }

    @Test
    void no_option_description_leaves_a_parenthesis_open() {
        Main.commandLine().getSubcommands().forEach((name, command) -> command.getCommandSpec().options().forEach(o -> {
            String text = String.join(" ", o.description());
            assertThat(text.chars().filter(ch -> ch == '(').count()).as("%s %s: %s", name, o.longestName(), text)
                    .isEqualTo(text.chars().filter(ch -> ch == ')').count());
        }));
    }

    @Test
    void an_at_sign_is_a_value_not_an_argument_file() {
        SubmitCommand submit = new SubmitCommand();
        new CommandLine(submit).setExpandAtFiles(Main.commandLine().isExpandAtFiles()).parseArgs("echo", "--payload", "@job.json");

        assertThat(submit.payload).isEqualTo("@job.json");
    }
}

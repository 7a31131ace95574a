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
    void no_option_description_ends_in_a_colon_with_nothing_after_it() {
        // "${COMPLETION-CANDIDATES}" of a String option expands to nothing: "only jobs in this state:" and no states.
        Main.commandLine().getSubcommands().forEach((name, command) -> command.getCommandSpec().options().forEach(o -> {
            String text = String.join(" ", o.description()).strip();
            assertThat(text).as("%s %s", name, o.longestName()).doesNotEndWith(":");
        }));
    }

    @Test
    void every_option_value_has_a_label_for_people_not_a_java_field_name() {
        // picocli's default label is the field, e.g. --drain-timeout=<drainTimeoutSeconds>.
        java.util.Deque<CommandLine> all = new java.util.ArrayDeque<>(Main.commandLine().getSubcommands().values());
        while (!all.isEmpty()) {
            CommandLine command = all.pop();
            all.addAll(command.getSubcommands().values());
            command.getCommandSpec().options().stream().filter(o -> o.arity().max() > 0).forEach(o ->
                    assertThat(o.paramLabel()).as("%s %s", command.getCommandSpec().qualifiedName(), o.longestName())
                            .doesNotStartWith("<"));
        }
    }

    @Test
    void an_at_sign_is_a_value_not_an_argument_file() {
        SubmitCommand submit = new SubmitCommand();
        new CommandLine(submit).setExpandAtFiles(Main.commandLine().isExpandAtFiles()).parseArgs("echo", "--payload", "@job.json");

        assertThat(submit.payload).isEqualTo("@job.json");
    }
}

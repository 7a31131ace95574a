package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs README.md's "Using it" block as it stands, line by line, against an all-in-one cluster, so the examples can
 * never rot. Each line is {@code bin/earthling ARGS}, optionally {@code NAME=$(...)} (the output is kept for
 * {@code $NAME}) or ending in {@code &} (started in the background; ready when the leader sees one more online
 * node), or {@code printf 'TEXT' > FILE}. What runs forever gets a bounded form: {@code nodes --watch} gets
 * {@code --count 2}, background lines end with the test. {@code run &} is {@link AllInOne} (free ports, its own H2
 * file); every other command finds its manager through {@code EARTHLING_RPC_MANAGER_PORT}, and the ports 50051 and
 * 50070 in the block become free ones.
 */
class ReadmeIT {
    private final Map<String, Cluster.Run> runs = new HashMap<>();
    private static final Pattern ASSIGNMENT = Pattern.compile("^([a-z]+)=\\$\\((.*)\\)$");

    @Test
    void every_command_of_the_readmes_using_it_section_runs_without_error() throws IOException {
        List<String> lines = usingIt(Files.readString(Path.of("..", "README.md")));
        assertThat(lines).as("the README's Using it block").hasSizeGreaterThan(10);

        try (AllInOne cluster = new AllInOne("readme")) {
            Cluster c = cluster.cluster;
            int manager = cluster.managerPort;
            int joining = Cluster.freePort();
            Map<String, String> vars = new HashMap<>();
            runs.clear();
            int background = 0;
            for (String line : lines) {
                String command = line.replace("127.0.0.1:50051", "127.0.0.1:" + manager).replace("50070", String.valueOf(joining));
                Matcher assignment = ASSIGNMENT.matcher(command);
                String variable = assignment.matches() ? assignment.group(1) : null;
                List<String> words = words(assignment.matches() ? assignment.group(2) : command, vars);
                if (words.get(0).equals("printf")) {
                    assertThat(words).as(line).hasSize(4).element(2).isEqualTo(">");
                    c.write(words.get(3), words.get(1).replace("\\n", "\n"));
                    continue;
                }
                assertThat(words.get(0)).as(line).isEqualTo("bin/earthling");
                List<String> args = new ArrayList<>(words.subList(1, words.size()));
                if (args.get(args.size() - 1).equals("&")) {
                    args.remove(args.size() - 1);
                    if (args.equals(List.of("run"))) {
                        cluster.start();
                    } else {
                        c.startIn("background-" + background, cluster.env, args.toArray(String[]::new));
                    }
                    cluster.awaitOnlineNodes(++background);
                    continue;
                }
                if (args.contains("--watch")) {
                    args.addAll(List.of("--count", "2"));
                }
                Cluster.Run r = cluster.cli(args.toArray(String[]::new));
                assertThat(r.exit()).as("exit code of %s%nstdout:%n%s%nstderr:%n%s", line, r.out(), r.err()).isZero();
                assertThat(r.err()).as("%s: no stack trace", line).doesNotContain("\tat ").doesNotContain("Exception");
                if (variable != null) {
                    vars.put(variable, r.out().strip());
                }
                runs.put(line, r);
            }
        }
        // What the comments promise a newcomer about why jobs wait.
        assertThat(runs.get("bin/earthling status $later").out()).as("--at is a delay by the client's clock:"
                + " within a few seconds").contains("waiting   DELAYED: delayed until 2030-01-01T10:00:0");
        assertThat(runs.get("held=$(bin/earthling submit echo --queue batch --quiet)").err())
                .contains("warning: queue batch is paused");
        assertThat(runs.get("bin/earthling jobs --state PENDING").out()).contains("QUEUE_PAUSED");
        assertThat(runs.get("bin/earthling run-now $later").out()).contains("is due now");
        assertThat(runs.get("bin/earthling jobs --search b@c").out()).contains("echo").doesNotContain("no jobs");
    }

    /** The lines of the first bash block after "## Using it", comments and blank lines left out. */
    static List<String> usingIt(String readme) {
        String section = readme.substring(readme.indexOf("## Using it"));
        String block = section.substring(section.indexOf("```bash\n") + 8, section.indexOf("\n```", section.indexOf("```bash")));
        List<String> lines = new ArrayList<>();
        for (String line : block.split("\n")) {
            String command = stripComment(line).strip();
            if (!command.isEmpty()) {
                lines.add(command);
            }
        }
        return lines;
    }

    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\'' && !dbl) {
                single = !single;
            } else if (ch == '"' && !single) {
                dbl = !dbl;
            } else if (ch == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Splits a line as the shell would for these examples: quotes group words, {@code $NAME} is replaced. */
    private static List<String> words(String line, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(ch)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (ch == '$') {
                int end = i + 1;
                while (end < line.length() && Character.isLetter(line.charAt(end))) {
                    end++;
                }
                String name = line.substring(i + 1, end);
                assertThat(vars).as("$%s is set by an earlier line", name).containsKey(name);
                word = (word == null ? new StringBuilder() : word).append(vars.get(name));
                i = end - 1;
            } else {
                word = (word == null ? new StringBuilder() : word).append(ch);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}

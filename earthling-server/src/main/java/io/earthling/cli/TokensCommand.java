package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.api.TokenView;
import io.earthling.config.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes API tokens (role admin). With no subcommand: list.",
        subcommands = {TokensCommand.Create.class, TokensCommand.Revoke.class})
final class TokensCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    OutputOptions out;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the API tokens by name, never the tokens themselves.")
    int list(@Mixin ClientOptions options, @Mixin OutputOptions output) {
        return print(options.with(c -> c.tokens()), output);
    }

    @Override
    public Integer call() {
        return print(client.with(c -> c.tokens()), out);
    }

    private static int print(List<TokenView> all, OutputOptions out) {
        if (out.json) {
            OutputOptions.printJson(all);
            return 0;
        }
        if (all.isEmpty()) {
            System.out.println("no tokens (earthling tokens create --name NAME --roles read)");
            return 0;
        }
        Table t = new Table("NAME", "ROLES", "CREATED", "EXPIRES", "REVOKED");
        for (TokenView v : all) {
            t.row(v.name(), String.join(",", v.roles()), v.created(), v.expires() == null ? "never" : v.expires(),
                    v.revoked() == null ? "-" : v.revoked());
        }
        t.print();
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates an API token and prints it once; the manager keeps only its digest.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "what the token is for, e.g. ci (letters, digits, '.', '_', '-')")
        String name;

        @Option(names = "--roles", required = true, paramLabel = "ROLES",
                description = "roles separated by commas: read, submit, operate, admin")
        String roles;

        @Option(names = "--expires", paramLabel = "DURATION",
                description = "make it expire after this long, e.g. 90d or 12h (default: never)")
        String expires;

        @Override
        public Integer call() {
            Duration in = null;
            if (expires != null) {
                long ms = Durations.parseMs(expires.trim());
                if (ms <= 0) {
                    throw new EarthlingException("--expires: expected a duration like 90d, 12h or 30m, more than 0;"
                            + " got \"" + expires + "\"");
                }
                in = Duration.ofMillis(ms);
            }
            List<String> words = Arrays.stream(roles.split(",")).map(String::trim).filter(w -> !w.isEmpty()).toList();
            Duration expiresIn = in;
            TokenView.Issued issued = client.with(c -> c.createToken(name, words, expiresIn));
            System.out.println(issued.token());
            System.err.println("created token " + name + " with roles " + String.join(",", issued.view().roles())
                    + (issued.view().expires() == null ? "" : ", expires " + issued.view().expires())
                    + "; this is the only time it is shown: store it now (use it with --token or EARTHLING_TOKEN)");
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes an API token; its dashboard sessions end too.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            TokenView v = client.with(c -> c.revokeToken(name));
            System.out.println("revoked token " + name + " at " + v.revoked() + " (at once on this manager, within "
                    + "5 s on the others)");
            return 0;
        }
    }
}

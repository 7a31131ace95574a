package io.earthling.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar earthling-faults.jar --scenario NAME|all [--long] [--jar earthling.jar] [--out DIR]}: issue 17's
 * database scenarios ({@link DbScenario}) on a scratch PostgreSQL server of their own. Exit 0 when every scenario
 * kept the invariants (nothing lost, nothing stuck, no illegal transition), 1 otherwise, 2 on bad arguments.
 */
final class ScenariosMain {
    static final String USAGE = """
            java -jar earthling-faults/target/earthling-faults.jar --scenario NAME|all [options]
              --scenario NAME   pg-restart, db-terminate, pool-exhaustion, unreachable, idle-in-transaction,
                                overload, or all (one after another on one cluster); repeatable
              --long            the long versions (unreachable 60 s, idle in transaction 10 min, overload 5 min, ...)
              --jar PATH        earthling.jar (earthling-dist/target/earthling.jar); copy it to /tmp for long runs
              --out DIR         reports (NAME.txt, NAME.json) and the processes' logs (target/scenarios)
            Needs the PostgreSQL binaries (/usr/lib/postgresql/*/bin or EARTHLING_PG_BIN): each run makes, uses and
            deletes a server of its own on a free port; the server at 127.0.0.1:5432 is never touched.
            See docs/reliability.md, "Database scenarios".
            """;

    private ScenariosMain() {
    }

    static void main(String[] args) throws Exception {
        List<DbScenario> scenarios = new ArrayList<>();
        boolean longVersion = false;
        Path jar = null;
        Path out = Path.of("target", "scenarios");
        for (int i = 0; i < args.length; i++) {
            try {
                switch (args[i]) {
                    case "--scenario" -> {
                        String name = args[++i];
                        scenarios.addAll(name.equals("all") ? Arrays.asList(DbScenario.values())
                                : List.of(DbScenario.parse(name)));
                    }
                    case "--long" -> longVersion = true;
                    case "--jar" -> jar = Path.of(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                System.err.println("earthling-faults: " + (e instanceof ArrayIndexOutOfBoundsException
                        ? args[i - 1] + " needs a value" : e.getMessage()) + "\n" + USAGE);
                System.exit(2);
            }
        }
        if (scenarios.isEmpty()) {
            System.err.println("earthling-faults: --scenario NAME or all is required\n" + USAGE);
            System.exit(2);
        }
        jar = jar != null ? jar : FaultsMain.findJar();
        boolean ok = true;
        StringBuilder all = new StringBuilder();
        try (ScenarioRun run = ScenarioRun.start(jar.toAbsolutePath(), out, longVersion)) {
            for (DbScenario s : scenarios) {
                ScenarioReport r = run.play(s);
                System.out.println(r.text());
                all.append(r.text()).append('\n');
                ok &= r.invariantsHold();
            }
        }
        Files.writeString(out.resolve("summary.txt"), all);
        System.out.println("Reports in " + out.toAbsolutePath());
        System.exit(ok ? 0 : 1);
    }
}

package io.earthling.faults;

import java.util.Locale;

/**
 * Issue 17's database fault and pressure scenarios, each played on a scratch PostgreSQL server of its own
 * ({@link ScratchPostgres}) while {@link SteadyLoad} submits: a phase before, the fault, a phase after. The short
 * versions run in {@code ./mvnw verify} ({@code DatabaseScenariosIT}); the long ones on request
 * ({@code earthling-faults --scenario NAME --long}).
 */
enum DbScenario {
    /** {@code pg_ctl stop -m fast}, down for a while, {@code pg_ctl start}: the manager must reconnect by itself. */
    PG_RESTART(3_000, 30_000),
    /**
     * Every session of the run's database but the monitor's terminated every 300 ms ({@code pg_terminate_backend}), as
     * {@link FaultKind#DB_TERMINATE} does, for longer.
     */
    DB_TERMINATE(6_000, 60_000),
    /**
     * Someone else (role {@code hog}) takes every free connection slot ({@code max_connections} less the superusers'
     * reserve) after the manager's sessions were ended, and keeps taking any slot that frees up: the manager cannot
     * reconnect until the hog leaves.
     */
    POOL_EXHAUSTION(7_000, 60_000),
    /** The database black-holed behind {@link BlackHoleProxy}: nothing moves, nothing is refused. */
    UNREACHABLE(10_000, 60_000),
    /**
     * A session idle in a REPEATABLE READ transaction that read {@code jobs} (its snapshot holds back vacuum), and
     * two REPEATABLE READ readers of {@code jobs} overlapping all the while.
     */
    IDLE_IN_TRANSACTION(15_000, 600_000),
    /** Jobs offered at 1.5 times what the workers can run, for a while; then nothing until the backlog drains. */
    OVERLOAD(15_000, 300_000);

    final long shortMs;
    final long longMs;

    DbScenario(long shortMs, long longMs) {
        this.shortMs = shortMs;
        this.longMs = longMs;
    }

    /** {@code pg-restart} for {@link #PG_RESTART}, as on the command line. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static DbScenario parse(String name) {
        for (DbScenario s : values()) {
            if (s.cliName().equals(name) || s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--scenario: unknown scenario '" + name + "'; one of "
                + java.util.Arrays.stream(values()).map(DbScenario::cliName).toList() + " or all");
    }
}

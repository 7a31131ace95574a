package io.earthling.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server of its own, for the scenarios that stop, restart or starve the database: a new
 * cluster ({@code initdb}) in a temporary directory, on a free port of 127.0.0.1, trust authentication, run with the
 * binaries of {@code /usr/lib/postgresql/<newest>/bin} (or {@code $EARTHLING_PG_BIN}). As root it runs as the
 * {@code postgres} OS user ({@code runuser}), since initdb refuses root. {@link #close()} stops it and deletes the
 * directory, also when the run failed; a JVM shutdown hook does the same if the harness is killed.
 *
 * <p>The shared server at 127.0.0.1:5432 is never touched: other tests use it at the same time.
 */
final class ScratchPostgres implements AutoCloseable {
    /** Why this machine cannot run a scratch server (no binaries, no postgres user), for the caller to report. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    private final Thread hook;
    private volatile boolean closed;

    private ScratchPostgres(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
        this.hook = new Thread(this::close, "scratch-postgres-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The directory of the newest PostgreSQL binaries on this machine, or why there is none. */
    static Path findBinaries() throws Unavailable {
        String env = System.getenv("EARTHLING_PG_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isExecutable(p.resolve("initdb"))) {
                return p;
            }
            throw new Unavailable("EARTHLING_PG_BIN=" + env + " has no executable initdb");
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                List<Path> found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .sorted(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())))
                        .toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1);
                }
            } catch (IOException e) {
                throw new Unavailable("cannot list " + root + ": " + e.getMessage());
            }
        }
        throw new Unavailable("no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin and no"
                + " EARTHLING_PG_BIN; install them (Debian: apt-get install postgresql)");
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Makes and starts a new server allowing {@code maxConnections} sessions (three of them reserved for
     * superusers, as by default). Returns once it accepts connections.
     */
    static ScratchPostgres start(int maxConnections) throws Unavailable, IOException, InterruptedException {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("earthling-scratch-pg-");
        ScratchPostgres pg = new ScratchPostgres(bin, dir, FaultCluster.freePort(), root);
        try {
            if (root) {
                pg.run(30, "chown", "postgres:postgres", dir.toString());
            }
            pg.pg(120, bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U", "postgres",
                    "--auth=trust", "--no-sync", "-E", "UTF8");
            Files.writeString(pg.data().resolve("postgresql.conf"), "\n# earthling-faults scratch server\n"
                    + "listen_addresses = '127.0.0.1'\nport = " + pg.port + "\nunix_socket_directories = '"
                    + dir + "'\nmax_connections = " + maxConnections + "\nfsync = off\nsynchronous_commit = off\n"
                    + "full_page_writes = off\nshared_buffers = 32MB\nautovacuum_naptime = 5s\n",
                    java.nio.file.StandardOpenOption.APPEND);
            pg.startServer();
            return pg;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    int port() {
        return port;
    }

    /** A superuser's JDBC URL of database {@code postgres}. */
    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Starts the stopped server; returns once it accepts connections. */
    void startServer() throws IOException, InterruptedException {
        pg(120, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "start");
    }

    /** {@code pg_ctl stop -m fast}: sessions are ended, the server shuts down cleanly. */
    void stopServer() throws IOException, InterruptedException {
        pg(120, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    /** The server's own log (for a report, when something went wrong). */
    Path log() {
        return dir.resolve("server.log");
    }

    private void pg(int timeoutS, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        run(timeoutS, cmd.toArray(String[]::new));
    }

    private void run(int timeoutS, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("earthling-scratch-pg", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeoutS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + Files.readString(out).strip());
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Stops the server at once (immediate mode) and deletes its directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                pg(60, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("earthling-faults: could not stop the scratch PostgreSQL in " + dir + " (" + e.getMessage()
                    + "); its directory is deleted anyway, stop it by hand if it still runs");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a directory already gone
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }
}

package io.earthling.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Starts a contender on a fresh database of its own, with a recorder sized for the run. */
final class Stage {
    /** A started contender; closing it stops the contender, then the recorder. */
    record Run(Contender contender, Recorder recorder, String database) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try (Recorder r = recorder) {
                contender.close();
            }
        }
    }

    private final PgAdmin admin;
    private final String dbPrefix;
    private final Path scratch;

    Stage(PgAdmin admin, String dbPrefix, Path scratch) {
        this.admin = admin;
        this.dbPrefix = dbPrefix;
        this.scratch = scratch;
    }

    Run start(String id, Supplier<Contender> factory, int workers, BenchJob job, int keys) throws Exception {
        String db = dbPrefix + id.replaceAll("[^a-z0-9]", "_");
        Recorder r = new Recorder(Math.max(1, keys));
        Contender c = factory.get();
        try {
            Path dir = Files.createDirectories(scratch.resolve(id));
            c.start(new BenchEnv(admin.fresh(db), db, dir, r.address()), workers, job);
            return new Run(c, r, db);
        } catch (Exception e) {
            try (r) {
                c.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}

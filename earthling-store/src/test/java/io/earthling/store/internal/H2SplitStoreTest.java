package io.earthling.store.internal;

import io.earthling.store.StoreSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The split contract on an H2 file database. */
class H2SplitStoreTest extends SplitStoreContract {
    @TempDir
    Path dir;

    @Override
    StoreSettings newDatabase() {
        return StoreSettings.of("jdbc:h2:file:" + dir.resolve("db"));
    }
}

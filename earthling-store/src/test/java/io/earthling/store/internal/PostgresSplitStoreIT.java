package io.earthling.store.internal;

import io.earthling.store.StoreSettings;

/** The split contract on PostgreSQL: a server from EARTHLING_PG_URL, else an embedded one. */
class PostgresSplitStoreIT extends SplitStoreContract {

    @Override
    StoreSettings newDatabase() throws Exception {
        return PostgresDatabases.newSchema();
    }

    @Override
    void dropDatabase(StoreSettings settings) throws Exception {
        PostgresDatabases.drop(settings);
    }
}

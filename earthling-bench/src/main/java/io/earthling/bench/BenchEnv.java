package io.earthling.bench;

import com.zaxxer.hikari.HikariConfig;
import java.nio.file.Path;

/**
 * What a contender runs against: its own fresh PostgreSQL database ({@code jdbcUrl}, no credentials beyond the
 * URL), a scratch directory, and the recorder address that out-of-process handlers report to.
 */
public record BenchEnv(String jdbcUrl, String database, Path scratch, String recorderAddress) {

    /** A connection pool on the contender's database; callers add what their system needs before opening it. */
    public HikariConfig pool(int size) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setMaximumPoolSize(size);
        return cfg;
    }
}

package io.earthling.bench;

import java.nio.file.Path;

/**
 * What a contender runs against: its own fresh PostgreSQL database ({@code jdbcUrl}, no credentials beyond the
 * URL), a scratch directory, and the recorder address that out-of-process handlers report to.
 */
public record BenchEnv(String jdbcUrl, String database, Path scratch, String recorderAddress) {
}

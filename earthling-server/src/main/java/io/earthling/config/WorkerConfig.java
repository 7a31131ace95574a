package io.earthling.config;

import java.util.List;

/**
 * How worker processes run: executables the {@code command} handler may start (exact paths), the directory
 * of handler jars, the JVM options of each worker process, and how many jobs per worker an assistant may hold
 * waiting for one (so a worker that finishes starts its next job without a round trip to the manager).
 */
public record WorkerConfig(List<String> commands, String handlersDir, List<String> jvmOptions, int prefetch) {
    public WorkerConfig {
        commands = List.copyOf(commands);
        jvmOptions = List.copyOf(jvmOptions);
    }
}

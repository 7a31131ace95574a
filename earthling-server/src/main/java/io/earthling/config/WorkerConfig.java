package io.earthling.config;

import java.util.List;

/**
 * How worker processes run: executables the {@code command} handler may start (exact paths), the directory
 * of handler jars, and the JVM options of each worker process.
 */
public record WorkerConfig(List<String> commands, String handlersDir, List<String> jvmOptions) {
    public WorkerConfig {
        commands = List.copyOf(commands);
        jvmOptions = List.copyOf(jvmOptions);
    }
}

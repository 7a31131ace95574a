package io.earthling.config;

import java.util.List;

/**
 * How worker processes run: executables the {@code command} handler may start (exact paths), the directory
 * of handler jars, the JVM options of each worker process, how many jobs per worker an assistant may hold
 * waiting for one (so a worker that finishes starts its next job without a round trip to the manager), and how
 * Python workers start ({@code worker.python}).
 */
public record WorkerConfig(List<String> commands, String handlersDir, List<String> jvmOptions, int prefetch,
                           Python python, List<String> commandEnv, Boolean examples) {
    /** What a {@code command} job sees of the worker's environment unless {@code worker.commandEnv} says. */
    public static final List<String> DEFAULT_COMMAND_ENV = io.earthling.worker.HandlerRegistry.DEFAULT_COMMAND_ENV;

    public WorkerConfig {
        commands = List.copyOf(commands);
        jvmOptions = List.copyOf(jvmOptions);
        commandEnv = List.copyOf(commandEnv);
    }

    public WorkerConfig(List<String> commands, String handlersDir, List<String> jvmOptions, int prefetch,
                        Python python, List<String> commandEnv) {
        this(commands, handlersDir, jvmOptions, prefetch, python, commandEnv, null);
    }

    /**
     * Whether the jar's example handlers run on an assistant listening on {@code address}: as
     * {@code worker.examples} says, else only on loopback (laptop mode and test clusters).
     */
    public boolean examplesOn(String address) {
        return examples != null ? examples : Exposure.loopback(address);
    }

    public WorkerConfig(List<String> commands, String handlersDir, List<String> jvmOptions, int prefetch) {
        this(commands, handlersDir, jvmOptions, prefetch, Python.DEFAULT);
    }

    public WorkerConfig(List<String> commands, String handlersDir, List<String> jvmOptions, int prefetch,
                        Python python) {
        this(commands, handlersDir, jvmOptions, prefetch, python, DEFAULT_COMMAND_ENV);
    }

    /**
     * Python worker processes: the interpreter, the modules with their {@code @earthling.handler} functions, and
     * directories put first on their {@code PYTHONPATH} (where the {@code earthling} package and the modules are).
     */
    public record Python(String interpreter, List<String> modules, List<String> path) {
        public static final Python DEFAULT = new Python("/usr/bin/python3", List.of(), List.of());

        public Python {
            modules = List.copyOf(modules);
            path = List.copyOf(path);
        }
    }
}

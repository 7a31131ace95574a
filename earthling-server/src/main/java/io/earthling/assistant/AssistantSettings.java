package io.earthling.assistant;

import java.util.List;

/**
 * One assistant: where it listens, its worker ports (empty with {@code threads > 0} for embedded thread
 * workers), the managers it may register with, how to launch a worker process, how many jobs per worker
 * it may hold waiting for one (prefetch: 0 = only ever a job per idle worker), its Python worker processes, and
 * whether the jar's example handlers run ({@code worker.examples}).
 */
public record AssistantSettings(String address, int port, List<Integer> workerPorts, int threads,
                                List<String> managers, long heartbeatMs, List<String> jvmOptions,
                                List<String> commandAllowList, String handlersDir, int prefetch,
                                PythonWorkers python, List<String> commandEnv, boolean examples) {

    public AssistantSettings(String address, int port, List<Integer> workerPorts, int threads,
                             List<String> managers, long heartbeatMs, List<String> jvmOptions,
                             List<String> commandAllowList, String handlersDir, int prefetch,
                             PythonWorkers python, List<String> commandEnv) {
        this(address, port, workerPorts, threads, managers, heartbeatMs, jvmOptions, commandAllowList, handlersDir,
                prefetch, python, commandEnv, true);
    }

    public AssistantSettings(String address, int port, List<Integer> workerPorts, int threads,
                             List<String> managers, long heartbeatMs, List<String> jvmOptions,
                             List<String> commandAllowList, String handlersDir, int prefetch,
                             PythonWorkers python) {
        this(address, port, workerPorts, threads, managers, heartbeatMs, jvmOptions, commandAllowList, handlersDir,
                prefetch, python, io.earthling.worker.HandlerRegistry.DEFAULT_COMMAND_ENV);
    }

    /** Java workers only. */
    public AssistantSettings(String address, int port, List<Integer> workerPorts, int threads, List<String> managers,
                             long heartbeatMs, List<String> jvmOptions, List<String> commandAllowList,
                             String handlersDir, int prefetch) {
        this(address, port, workerPorts, threads, managers, heartbeatMs, jvmOptions, commandAllowList, handlersDir,
                prefetch, PythonWorkers.NONE);
    }

    public String nodeId() {
        return address + ":" + port;
    }

    /**
     * Worker processes of the Python runtime ({@code python3 -m earthling.worker}) on {@code ports}, besides the
     * Java ones: the interpreter, the handler modules they import, and the directories put first on their
     * {@code PYTHONPATH}.
     */
    public record PythonWorkers(List<Integer> ports, String interpreter, List<String> modules, List<String> path) {
        public static final PythonWorkers NONE = new PythonWorkers(List.of(), "/usr/bin/python3", List.of(), List.of());

        public PythonWorkers {
            ports = List.copyOf(ports);
            modules = List.copyOf(modules);
            path = List.copyOf(path);
        }
    }
}

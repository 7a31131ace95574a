package io.earthling.config;

import java.util.List;

/**
 * One node's assistant and the ports of the worker processes it keeps running; {@code python} are those of
 * {@code workers} that run the Python runtime ({@code runtime: python}), the others run Java.
 */
public record AssistantEntry(String address, int port, List<Integer> workers, List<Integer> python) {
    public AssistantEntry {
        workers = List.copyOf(workers);
        python = List.copyOf(python);
    }

    /** Java workers only. */
    public AssistantEntry(String address, int port, List<Integer> workers) {
        this(address, port, workers, List.of());
    }

    public Endpoint endpoint() {
        return new Endpoint(address, port);
    }

    /** The ports of the Java worker processes. */
    public List<Integer> javaWorkers() {
        return workers.stream().filter(p -> !python.contains(p)).toList();
    }
}

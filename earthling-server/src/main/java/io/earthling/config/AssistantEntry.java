package io.earthling.config;

import java.util.List;

/** One node's assistant and the ports of the worker processes it keeps running. */
public record AssistantEntry(String address, int port, List<Integer> workers) {
    public AssistantEntry {
        workers = List.copyOf(workers);
    }

    public Endpoint endpoint() {
        return new Endpoint(address, port);
    }
}

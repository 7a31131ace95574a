package io.earthling.assistant;

import java.util.List;

/**
 * One assistant: where it listens, its worker ports (empty with {@code threads > 0} for embedded thread
 * workers), the managers it may register with, and how to launch a worker process.
 */
public record AssistantSettings(String address, int port, List<Integer> workerPorts, int threads,
                                List<String> managers, long heartbeatMs, List<String> jvmOptions,
                                List<String> commandAllowList, String handlersDir) {

    public String nodeId() {
        return address + ":" + port;
    }
}

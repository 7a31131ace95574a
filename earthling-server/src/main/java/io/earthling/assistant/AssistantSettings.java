package io.earthling.assistant;

import java.util.List;

/**
 * One assistant: where it listens, its worker ports (empty with {@code threads > 0} for embedded thread
 * workers), the managers it may register with, how to launch a worker process, and how many jobs per worker
 * it may hold waiting for one (prefetch: 0 = only ever a job per idle worker).
 */
public record AssistantSettings(String address, int port, List<Integer> workerPorts, int threads,
                                List<String> managers, long heartbeatMs, List<String> jvmOptions,
                                List<String> commandAllowList, String handlersDir, int prefetch) {

    public String nodeId() {
        return address + ":" + port;
    }
}

package io.earthling.assistant.internal;

import io.earthling.assistant.AssistantSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a worker process: this same JVM and classpath, the hidden {@code worker} command. */
final class WorkerCommand {
    private WorkerCommand() {
    }

    static List<String> of(AssistantSettings s, int port) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(s.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.earthling.cli.Main");
        cmd.add("worker");
        cmd.add("--address=" + s.address());
        cmd.add("--port=" + port);
        if (s.handlersDir() != null) {
            cmd.add("--handlers=" + s.handlersDir());
        }
        for (String c : s.commandAllowList()) {
            cmd.add("--allow=" + c);
        }
        return cmd;
    }
}

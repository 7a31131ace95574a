package io.earthling.assistant.internal;

import io.earthling.assistant.AssistantSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a worker process: this same JVM and classpath, the hidden {@code worker} command. */
final class WorkerCommand {
    private WorkerCommand() {
    }

    /** A worker listening on {@code address} (a loopback one) and {@code port}. */
    static List<String> of(AssistantSettings s, String address, int port, List<String> extraJvmOptions) {
        List<String> cmd = base(s, extraJvmOptions);
        cmd.add("--address=" + address);
        cmd.add("--port=" + port);
        return cmd;
    }

    /** The command of the run that makes the class archive. */
    static List<String> training(AssistantSettings s) {
        List<String> cmd = base(s, List.of());
        cmd.add("--train");
        return cmd;
    }

    private static List<String> base(AssistantSettings s, List<String> extraJvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(s.jvmOptions());
        cmd.addAll(extraJvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.earthling.cli.Main");
        cmd.add("worker");
        if (s.handlersDir() != null) {
            cmd.add("--handlers=" + s.handlersDir());
        }
        for (String c : s.commandAllowList()) {
            cmd.add("--allow=" + c);
        }
        for (String e : s.commandEnv()) {
            cmd.add("--command-env=" + e);
        }
        if (!s.examples()) {
            cmd.add("--no-examples");
        }
        return cmd;
    }
}

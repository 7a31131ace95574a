package io.earthling.assistant.internal;

import io.earthling.assistant.AssistantSettings.PythonWorkers;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a Python worker process ({@code clients/python}: {@code python3 -m earthling.worker}) and
 * its environment: the configured directories first on {@code PYTHONPATH}, unbuffered output so its lines reach
 * the assistant's log as they happen.
 */
final class PythonCommand {
    private PythonCommand() {
    }

    static List<String> of(PythonWorkers p, String address, int port) {
        List<String> cmd = new ArrayList<>(List.of(p.interpreter(), "-m", "earthling.worker",
                "--address=" + address, "--port=" + port));
        for (String m : p.modules()) {
            cmd.add("--module=" + m);
        }
        return cmd;
    }

    static Map<String, String> environment(PythonWorkers p, Map<String, String> inherited) {
        List<String> path = new ArrayList<>();
        for (String d : p.path()) {
            path.add(new File(d).getAbsolutePath());
        }
        String before = inherited.get("PYTHONPATH");
        if (before != null && !before.isBlank()) {
            path.add(before);
        }
        return path.isEmpty() ? Map.of("PYTHONUNBUFFERED", "1")
                : Map.of("PYTHONPATH", String.join(File.pathSeparator, path), "PYTHONUNBUFFERED", "1");
    }
}

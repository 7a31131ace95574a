package io.earthling.worker.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a {@code command} job starts with: only the variables named in {@code worker.commandEnv} that
 * the worker has, never Earthling's own ({@code EARTHLING_*}: tokens, passwords, the worker secret), and
 * {@code TMPDIR} pointing into the job's own directory (issue 16, item 6). A plain object.
 */
public final class CommandEnvironment {
    /** The default of {@code worker.commandEnv}: what ordinary tools need to find programs, a home and a locale. */
    public static final List<String> DEFAULT = List.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER",
            "LOGNAME");

    private CommandEnvironment() {
    }

    public static Map<String, String> of(Map<String, String> worker, List<String> allowed, String workDir) {
        Map<String, String> env = new TreeMap<>();
        for (String name : allowed) {
            String value = worker.get(name);
            if (value != null && !name.startsWith("EARTHLING_")) {
                env.put(name, value);
            }
        }
        env.put("TMPDIR", workDir);
        return env;
    }
}

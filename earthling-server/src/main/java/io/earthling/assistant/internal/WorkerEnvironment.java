package io.earthling.assistant.internal;

import io.earthling.worker.WorkerSecret;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a worker process finds in its environment: the assistant's, less Earthling's own settings (tokens, store
 * passwords and URLs: a handler has no use for them), plus the per-spawn {@link WorkerSecret} and the extras of
 * its runtime (a Python worker's {@code PYTHONPATH}). A plain object, tested without a process.
 */
final class WorkerEnvironment {
    /** Earthling variables a worker may need: where the Python stubs are, whether to print stack traces. */
    static final Set<String> KEPT = Set.of("EARTHLING_PY_STUBS", "EARTHLING_DEBUG");

    private WorkerEnvironment() {
    }

    /** Applies the rules to {@code env} (a {@link ProcessBuilder}'s environment) in place. */
    static void apply(Map<String, String> env, Map<String, String> extra, String secret) {
        env.keySet().removeIf(k -> k.startsWith("EARTHLING_") && !KEPT.contains(k));
        env.putAll(extra);
        env.put(WorkerSecret.ENV, secret);
    }

    /** The environment of a worker started from {@code inherited}, as a new map. */
    static Map<String, String> of(Map<String, String> inherited, Map<String, String> extra, String secret) {
        Map<String, String> env = new TreeMap<>(inherited);
        apply(env, extra, secret);
        return env;
    }

    /**
     * The address a worker listens on: the assistant's own if that is a loopback address (127.0.0.2 in a test
     * cluster), else 127.0.0.1. A worker is never reachable from another machine.
     */
    static String loopbackFor(String assistantAddress) {
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(assistantAddress);
            return a.isLoopbackAddress() ? a.getHostAddress() : "127.0.0.1";
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}

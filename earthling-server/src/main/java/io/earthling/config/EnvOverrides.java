package io.earthling.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Environment variables override single scalar keys: {@code EARTHLING_} + the key path with dots as
 * underscores, any case ({@code EARTHLING_STORE_URL} sets {@code store.url}). Other variables are ignored.
 */
final class EnvOverrides {
    private static final List<String> SCALARS = List.of("rpc.manager.address", "rpc.manager.port", "store.url",
            "store.user", "store.password", "store.pool", "http.address", "http.port", "http.token", "http.sessionTtl", "timing.heartbeatMs",
            "timing.nodeGraceMs", "timing.reconcileGraceMs", "timing.sweepMs", "timing.leaseTtlMs", "timing.typeWaitMs",
            "limits.maxPayloadBytes", "limits.maxBatch", "limits.maxResultBytes", "limits.maxQueuedInserts", "worker.handlersDir", "worker.examples",
            "retention.succeeded", "retention.cancelled", "retention.dead", "tls.ca", "tls.cert", "tls.key",
            "security.insecure");

    private EnvOverrides() {
    }

    /** Sets the overridden keys in {@code tree} and records which variable set each path in {@code sources}. */
    static JsonNode apply(JsonNode tree, Map<String, String> env, Map<String, String> sources) {
        Map<String, String> byUpperName = new HashMap<>();
        env.keySet().forEach(k -> byUpperName.put(k.toUpperCase(Locale.ROOT), k));
        for (String path : paths(tree)) {
            String var = byUpperName.get("EARTHLING_" + path.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
            if (var == null) {
                continue;
            }
            if (path.startsWith("rpc.manager.") && tree.path("rpc").path("manager").isArray()) {
                throw new ConfigException(var + ": rpc.manager is a list of managers; set "
                        + path.substring("rpc.manager.".length()) + " for each in the config file");
            }
            if (set((ObjectNode) tree, path.split("\\."), env.get(var))) {
                sources.put(path, var);
            }
        }
        return tree;
    }

    private static List<String> paths(JsonNode tree) {
        List<String> paths = new ArrayList<>(SCALARS);
        List<String> queues = new ArrayList<>(List.of("default"));
        tree.path("queues").fieldNames().forEachRemaining(q -> {
            if (!q.equals("default")) {
                queues.add(q);
            }
        });
        for (String q : queues) {
            paths.add("queues." + q + ".weight");
            paths.add("queues." + q + ".concurrency");
            paths.add("queues." + q + ".rate");
            paths.add("queues." + q + ".maxAttempts");
        }
        return paths;
    }

    /** False where a parent is not a map; the binder then reports that parent. */
    private static boolean set(ObjectNode root, String[] keys, String value) {
        ObjectNode at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode next = at.get(keys[i]);
            if (next == null || next.isNull()) {
                next = at.putObject(keys[i]);
            }
            if (!next.isObject()) {
                return false;
            }
            at = (ObjectNode) next;
        }
        at.set(keys[keys.length - 1], TextNode.valueOf(value));
        return true;
    }
}

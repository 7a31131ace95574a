package io.earthling.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A node of the parsed YAML with its key path, so every conversion error can name where it happened. */
final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final Map<String, String> envSources;

    ConfigNode(JsonNode node, String path, Map<String, String> envSources) {
        this.node = node;
        this.path = path;
        this.envSources = envSources;
    }

    String path() {
        return path;
    }

    boolean isAbsent() {
        return node == null || node.isMissingNode() || node.isNull();
    }

    boolean isList() {
        return node != null && node.isArray();
    }

    ConfigNode child(String key) {
        return new ConfigNode(isAbsent() ? null : node.get(key), path.isEmpty() ? key : path + "." + key, envSources);
    }

    List<ConfigNode> elements() {
        if (!isList()) {
            throw fail("expected a list, got " + describe());
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(node.get(i), path + "[" + i + "]", envSources));
        }
        return out;
    }

    /** The keys of a map, refusing any not in {@code known}; an absent node has none. */
    List<String> keys(String... known) {
        if (isAbsent()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw fail("expected a map, got " + describe());
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        if (known.length > 0) {
            for (String key : keys) {
                if (!Arrays.asList(known).contains(key)) {
                    throw child(key).fail("unknown key (known: " + String.join(", ", known) + ")");
                }
            }
        }
        return keys;
    }

    boolean isMap() {
        return node != null && node.isObject();
    }

    /** The subtree as compact JSON text. */
    String json() {
        return node.toString();
    }

    /** The scalar's text; containers are refused. */
    String text() {
        if (node.isContainerNode()) {
            throw fail("expected a single value, got " + describe());
        }
        return node.asText();
    }

    String describe() {
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.asText();
    }

    ConfigException fail(String reason) {
        String env = envSources.get(path);
        return new ConfigException(path + (env == null ? "" : " (from " + env + ")") + ": " + reason);
    }
}

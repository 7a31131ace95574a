package io.earthling.config;

import static io.earthling.config.ConfigValues.port;
import static io.earthling.config.ConfigValues.string;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code rpc}: the manager(s) and the assistants with their worker ports. */
final class RpcBinder {
    private RpcBinder() {
    }

    static List<Endpoint> managers(ConfigNode rpc) {
        ConfigNode m = rpc.child("manager");
        if (!m.isList()) {
            return List.of(endpoint(m, 50051));
        }
        List<Endpoint> out = new ArrayList<>();
        for (ConfigNode e : m.elements()) {
            out.add(endpoint(e, 50051));
        }
        if (out.isEmpty()) {
            throw m.fail("must list at least one manager");
        }
        requireDistinct(m, out);
        return out;
    }

    static List<AssistantEntry> assistants(ConfigNode rpc) {
        ConfigNode a = rpc.child("assistant");
        if (a.isAbsent()) {
            return List.of(new AssistantEntry("127.0.0.1", 50052, List.of(50061, 50062, 50063)));
        }
        List<AssistantEntry> out = new ArrayList<>();
        for (ConfigNode e : a.isList() ? a.elements() : List.of(a)) {
            out.add(assistant(e));
        }
        requireDistinct(a, out.stream().map(AssistantEntry::endpoint).toList());
        return out;
    }

    private static AssistantEntry assistant(ConfigNode n) {
        n.keys("address", "port", "workers", "runtime");
        Endpoint at = at(n, 50052);
        boolean allPython = python(n.child("runtime"), false);
        ConfigNode w = n.child("workers");
        if (w.isAbsent()) {
            // The default layout: 50052 runs workers on 50061..50063.
            List<Integer> ports = List.of(at.port() + 9, at.port() + 10, at.port() + 11);
            return new AssistantEntry(at.address(), at.port(), ports, allPython ? ports : List.of());
        }
        List<Integer> ports = new ArrayList<>();
        List<Integer> python = new ArrayList<>();
        for (ConfigNode e : w.elements()) {
            // A port, or {port: P, runtime: java|python}.
            ConfigNode p = e.isMap() ? e.child("port") : e;
            if (e.isMap()) {
                e.keys("port", "runtime");
            }
            int port = port(p, 0);
            if (p.isAbsent()) {
                throw p.fail("not a port number: null");
            }
            if (ports.contains(port)) {
                throw p.fail("duplicate worker port " + port + " on this assistant");
            }
            if (port == at.port()) {
                throw p.fail("worker port " + port + " is the assistant's own port");
            }
            ports.add(port);
            if (e.isMap() ? python(e.child("runtime"), allPython) : allPython) {
                python.add(port);
            }
        }
        if (ports.isEmpty()) {
            throw w.fail("must list at least one worker port");
        }
        return new AssistantEntry(at.address(), at.port(), ports, python);
    }

    /** Whether {@code runtime} says python; absent: {@code otherwise}. */
    private static boolean python(ConfigNode runtime, boolean otherwise) {
        String r = string(runtime, null);
        if (r == null) {
            return otherwise;
        }
        if (!r.equals("java") && !r.equals("python")) {
            throw runtime.fail("must be java or python, got \"" + r + "\"");
        }
        return r.equals("python");
    }

    static Endpoint endpoint(ConfigNode n, int defaultPort, String... moreKeys) {
        List<String> keys = new ArrayList<>(List.of("address", "port"));
        keys.addAll(List.of(moreKeys));
        n.keys(keys.toArray(String[]::new));
        return at(n, defaultPort);
    }

    private static Endpoint at(ConfigNode n, int defaultPort) {
        return new Endpoint(string(n.child("address"), "127.0.0.1"), port(n.child("port"), defaultPort));
    }

    private static void requireDistinct(ConfigNode list, List<Endpoint> endpoints) {
        Map<Endpoint, Integer> seen = new HashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            Integer first = seen.putIfAbsent(endpoints.get(i), i);
            if (first != null) {
                throw list.elements().get(i).fail(
                        "duplicate of " + list.path() + "[" + first + "] (" + endpoints.get(i).target() + ")");
            }
        }
    }
}

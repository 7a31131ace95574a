package io.earthling.config;

import static io.earthling.config.ConfigValues.duration;
import static io.earthling.config.ConfigValues.integer;
import static io.earthling.config.ConfigValues.number;
import static io.earthling.config.ConfigValues.string;
import static io.earthling.config.ConfigValues.strings;

import io.earthling.grpc.ClientRoles;
import io.earthling.grpc.TlsFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns the parsed tree into {@link EarthlingConfig}, every key defaulted, every error with its path. */
final class ConfigBinder {
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private ConfigBinder() {
    }

    static EarthlingConfig bind(ConfigNode root) {
        root.keys("rpc", "store", "http", "queues", "types", "timing", "limits", "worker", "placement", "schedules",
                "pipelines", "retention", "tls", "security");
        ConfigNode rpc = root.child("rpc");
        rpc.keys("manager", "assistant");
        EarthlingConfig c = new EarthlingConfig(RpcBinder.managers(rpc), RpcBinder.assistants(rpc), store(root.child("store")),
                RpcBinder.endpoint(root.child("http"), 8080, "token", "maxBodyBytes", "sessionTtl"), queues(root.child("queues")),
                timing(root.child("timing")), limits(root.child("limits")), worker(root.child("worker")),
                placement(root.child("placement")), ScheduleBinder.schedules(root.child("schedules")),
                types(root.child("types")), PipelineBinder.pipelines(root.child("pipelines")), http(root.child("http")),
                retention(root.child("retention")), security(root.child("tls"), root.child("security")));
        requireModules(c, root);
        return c;
    }

    /** Python worker ports need handler modules to import: said once, naming both keys. */
    static void requireModules(EarthlingConfig c, ConfigNode root) {
        for (int i = 0; i < c.assistants().size(); i++) {
            if (!c.assistants().get(i).python().isEmpty() && c.worker().python().modules().isEmpty()) {
                throw root.child("worker").child("python").child("modules").fail("rpc.assistant[" + i
                        + "] runs Python workers, which need at least one module with @earthling.handler functions");
            }
        }
    }

    private static Map<String, Integer> types(ConfigNode n) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String name : n.keys()) {
            ConfigNode t = n.child(name);
            t.keys("maxAttempts");
            out.put(name, integer(t.child("maxAttempts"), 0, 1));
        }
        return out;
    }

    private static HttpAccess http(ConfigNode n) {
        ConfigNode tokenNode = n.child("token");
        String token = string(tokenNode, null);
        if (token != null && token.length() < 16) {
            throw tokenNode.fail("too short: at least 16 characters, got " + token.length());
        }
        ConfigNode ttlNode = n.child("sessionTtl");
        long ttlMs = duration(ttlNode, HttpAccess.DEFAULT_SESSION_TTL_MS);
        if (ttlMs <= 0) {
            throw ttlNode.fail("must be more than 0 (a dashboard session must end), e.g. 12h; got " + ttlNode.describe());
        }
        return new HttpAccess(token, (int) number(n.child("maxBodyBytes"), 16 << 20, 1024, 256 << 20),
                java.time.Duration.ofMillis(ttlMs));
    }

    /**
     * {@code tls: {ca, cert, key, reloadSeconds}} (all three files or none) and {@code security: {insecure, clients}},
     * {@code clients} mapping client names to lists of roles.
     */
    private static EarthlingConfig.Security security(ConfigNode tls, ConfigNode security) {
        tls.keys("ca", "cert", "key", "reloadSeconds");
        security.keys("insecure", "clients");
        ClientRoles clients = clients(security.child("clients"));
        String ca = string(tls.child("ca"), null);
        String cert = string(tls.child("cert"), null);
        String key = string(tls.child("key"), null);
        long reload = number(tls.child("reloadSeconds"), TlsFiles.DEFAULT_RELOAD_SECONDS, 1, 86_400);
        ConfigNode insecureNode = security.child("insecure");
        String insecure = string(insecureNode, "false");
        if (!insecure.equals("true") && !insecure.equals("false")) {
            throw insecureNode.fail("must be true or false, got \"" + insecure + "\"");
        }
        if (ca == null && cert == null && key == null) {
            return new EarthlingConfig.Security(null, insecure.equals("true"), clients);
        }
        for (String k : java.util.List.of("ca", "cert", "key")) {
            if (string(tls.child(k), null) == null) {
                throw tls.child(k).fail("not set: tls.ca, tls.cert and tls.key go together (earthling certs makes them)");
            }
        }
        return new EarthlingConfig.Security(new TlsFiles(java.nio.file.Path.of(ca), java.nio.file.Path.of(cert),
                java.nio.file.Path.of(key), reload), insecure.equals("true"), clients);
    }

    private static ClientRoles clients(ConfigNode n) {
        if (n.isAbsent()) {
            return ClientRoles.everyone();
        }
        Map<String, java.util.Set<ClientRoles.Role>> grants = new LinkedHashMap<>();
        for (String name : n.keys()) {
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw n.child(name).fail("not a client name (letters, digits, '.', '_', '-'; at most 64)");
            }
            java.util.Set<ClientRoles.Role> roles = java.util.EnumSet.noneOf(ClientRoles.Role.class);
            for (String word : strings(n.child(name), List.of())) {
                roles.add(ClientRoles.Role.of(word).orElseThrow(() -> n.child(name).fail(
                        "not a role: \"" + word + "\" (known: read, submit, operate, admin)")));
            }
            grants.put(name, roles);
        }
        return ClientRoles.granted(grants);
    }

    private static StoreConfig store(ConfigNode n) {
        n.keys("url", "user", "password", "pool");
        ConfigNode urlNode = n.child("url");
        String url = string(urlNode, "jdbc:h2:file:./earthling-data/db");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw urlNode.fail("must start with jdbc:h2: or jdbc:postgresql:");
        }
        return new StoreConfig(url, string(n.child("user"), null), string(n.child("password"), null),
                integer(n.child("pool"), 4, 1));
    }

    private static Map<String, QueueConfig> queues(ConfigNode n) {
        Map<String, QueueConfig> out = new LinkedHashMap<>();
        // Submissions name "default" when they name no queue, so it always exists.
        out.put("default", new QueueConfig(1, 0, 0));
        for (String name : n.keys()) {
            ConfigNode q = n.child(name);
            if (!QUEUE_NAME.matcher(name).matches()) {
                throw q.fail("not a queue name (letters, digits, '_', '.', '-'; at most 64)");
            }
            q.keys("weight", "concurrency", "rate", "maxAttempts");
            out.put(name, new QueueConfig(integer(q.child("weight"), 1, 1), integer(q.child("concurrency"), 0, 0),
                    integer(q.child("rate"), 0, 0), integer(q.child("maxAttempts"), 0, 0)));
        }
        return out;
    }

    private static Timing timing(ConfigNode n) {
        n.keys("heartbeatMs", "nodeGraceMs", "reconcileGraceMs", "sweepMs", "leaseTtlMs", "typeWaitMs");
        long heartbeat = number(n.child("heartbeatMs"), 1000, 1, Long.MAX_VALUE);
        ConfigNode graceNode = n.child("nodeGraceMs");
        // A node is lost after about three missed heartbeats unless said otherwise.
        long grace = number(graceNode, Math.max(3000, 3 * heartbeat), 1, Long.MAX_VALUE);
        if (grace <= heartbeat) {
            throw graceNode.fail("must be longer than timing.heartbeatMs (" + heartbeat + "), got " + grace);
        }
        return new Timing(heartbeat, grace, number(n.child("reconcileGraceMs"), 5000, 1, Long.MAX_VALUE),
                number(n.child("sweepMs"), 1000, 1, Long.MAX_VALUE), number(n.child("leaseTtlMs"), 10000, 1, Long.MAX_VALUE),
                number(n.child("typeWaitMs"), Timing.DEFAULT_TYPE_WAIT_MS, 1, Long.MAX_VALUE));
    }

    /** {@code retention.{succeeded,cancelled,dead}} and {@code retention.queues.Q.{...}}: ages, 0 = forever. */
    static io.earthling.core.Retention retention(ConfigNode n) {
        n.keys("succeeded", "cancelled", "dead", "queues");
        io.earthling.core.Retention d = io.earthling.core.Retention.DEFAULT;
        java.util.Map<io.earthling.api.JobState, Long> ages = ages(n, d.ageMs());
        java.util.Map<String, java.util.Map<io.earthling.api.JobState, Long>> queues = new LinkedHashMap<>();
        ConfigNode qs = n.child("queues");
        for (String q : qs.keys()) {
            if (!QUEUE_NAME.matcher(q).matches()) {
                throw qs.child(q).fail("not a queue name (letters, digits, '_', '.', '-'; at most 64)");
            }
            qs.child(q).keys("succeeded", "cancelled", "dead");
            queues.put(q, ages(qs.child(q), java.util.Map.of()));
        }
        return new io.earthling.core.Retention(ages, queues);
    }

    private static java.util.Map<io.earthling.api.JobState, Long> ages(ConfigNode n,
                                                                        java.util.Map<io.earthling.api.JobState, Long> def) {
        java.util.Map<io.earthling.api.JobState, Long> out = new java.util.EnumMap<>(io.earthling.api.JobState.class);
        for (io.earthling.api.JobState s : java.util.List.of(io.earthling.api.JobState.SUCCEEDED,
                io.earthling.api.JobState.CANCELLED, io.earthling.api.JobState.DEAD)) {
            ConfigNode c = n.child(s.name().toLowerCase(java.util.Locale.ROOT));
            if (!c.isAbsent() || def.containsKey(s)) {
                out.put(s, ConfigValues.duration(c, def.getOrDefault(s, 0L)));
            }
        }
        return out;
    }

    private static Placement placement(ConfigNode n) {
        n.keys("minMemoryMb", "minDiskMb", "maxCpuPercent");
        return new Placement(number(n.child("minMemoryMb"), 64, 0, Long.MAX_VALUE),
                number(n.child("minDiskMb"), 256, 0, Long.MAX_VALUE), (int) number(n.child("maxCpuPercent"), 100, 1, 100));
    }

    private static Limits limits(ConfigNode n) {
        n.keys("maxPayloadBytes", "maxBatch", "maxResultBytes", "maxQueuedInserts", "maxSplitChildren", "maxSplitDepth",
                "maxErrorBytes", "maxLogBytes", "maxWaitIds", "maxWaitMs", "maxMetricLabels", "readyWindow");
        io.earthling.manager.InputLimits d = io.earthling.manager.InputLimits.DEFAULT;
        io.earthling.manager.InputLimits input = new io.earthling.manager.InputLimits(
                (int) number(n.child("maxSplitChildren"), d.maxSplitChildren(), 1, io.earthling.api.Split.MAX_CHILDREN),
                (int) number(n.child("maxSplitDepth"), d.maxSplitDepth(), 1, 1000),
                (int) number(n.child("maxErrorBytes"), d.maxErrorBytes(), 64, 1 << 20),
                (int) number(n.child("maxLogBytes"), d.maxLogBytes(), 64, 16 << 20),
                (int) number(n.child("maxWaitIds"), d.maxWaitIds(), 1, 1_000_000),
                number(n.child("maxWaitMs"), d.maxWaitMs(), 1, 86_400_000),
                (int) number(n.child("maxMetricLabels"), d.maxMetricLabels(), 1, 100_000),
                (int) number(n.child("readyWindow"), d.readyWindow(), 100, 10_000_000));
        return new Limits((int) number(n.child("maxPayloadBytes"), 1 << 20, 1, 32 << 20),
                integer(n.child("maxBatch"), 10000, 1),
                (int) number(n.child("maxResultBytes"), Limits.DEFAULT_MAX_RESULT_BYTES, 1, 16 << 20),
                integer(n.child("maxQueuedInserts"), Limits.DEFAULT_MAX_QUEUED_INSERTS, 1), input);
    }

    private static WorkerConfig worker(ConfigNode n) {
        n.keys("commands", "handlersDir", "jvmOptions", "prefetch", "python", "commandEnv", "examples");
        List<String> commands = strings(n.child("commands"), List.of());
        for (int i = 0; i < commands.size(); i++) {
            if (!commands.get(i).startsWith("/")) {
                throw n.child("commands").elements().get(i).fail("must be an absolute path: \"" + commands.get(i) + "\"");
            }
        }
        return new WorkerConfig(commands, string(n.child("handlersDir"), "handlers"),
                strings(n.child("jvmOptions"), List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
                (int) number(n.child("prefetch"), 1, 0, 100), python(n.child("python")), commandEnv(n.child("commandEnv")),
                examples(n.child("examples")));
    }

    /** {@code worker.examples}: true, false, or absent (null: only on loopback). */
    private static Boolean examples(ConfigNode n) {
        String v = string(n, null);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw n.fail("must be true or false, got \"" + v + "\"");
        }
        return v.equals("true");
    }

    private static List<String> commandEnv(ConfigNode n) {
        List<String> names = strings(n, WorkerConfig.DEFAULT_COMMAND_ENV);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || name.startsWith("EARTHLING_")) {
                throw n.elements().get(i).fail("must name an environment variable, not one of Earthling's own (EARTHLING_*): \""
                        + name + "\"");
            }
        }
        return names;
    }

    private static WorkerConfig.Python python(ConfigNode n) {
        n.keys("interpreter", "modules", "path");
        WorkerConfig.Python d = WorkerConfig.Python.DEFAULT;
        String exe = string(n.child("interpreter"), d.interpreter());
        List<String> modules = strings(n.child("modules"), d.modules());
        for (int i = 0; i < modules.size(); i++) {
            if (!modules.get(i).matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
                throw n.child("modules").elements().get(i).fail("not a Python module name: \"" + modules.get(i) + "\"");
            }
        }
        return new WorkerConfig.Python(exe, modules, strings(n.child("path"), d.path()));
    }
}

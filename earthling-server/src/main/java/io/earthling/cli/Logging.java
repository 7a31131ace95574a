package io.earthling.cli;

import java.util.Set;

/** slf4j-simple set up before any logger exists: roles log at info, client commands only warnings. */
final class Logging {
    private static final Set<String> ROLES = Set.of("run", "manager", "assistant", "worker");
    private static final java.util.logging.Logger GRPC = java.util.logging.Logger.getLogger("io.grpc");

    private Logging() {
    }

    static void setUp(String[] args) {
        boolean role = args.length > 0 && ROLES.contains(args[0]);
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", role ? "info" : "warn");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.log.io.grpc", "warn");
        setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setDefault("org.slf4j.simpleLogger.log.io.javalin", "warn");
        if (!role) {
            // gRPC logs through java.util.logging: a client's failed name lookup is our one-line error, not a warning.
            GRPC.setLevel(java.util.logging.Level.SEVERE);
        }
        if (args.length > 0 && args[0].equals("demo")) {
            setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

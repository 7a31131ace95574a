package io.earthling.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** JDBC URL chores. */
final class Urls {
    private static final String H2_FILE = "jdbc:h2:file:";

    private Urls() {
    }

    /** Hides a password given in the URL so the URL can go into messages and logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** H2 creates the database file but not always its folders; make them so a fresh data dir just works. */
    static void createH2Folders(String url) {
        if (!url.startsWith(H2_FILE)) {
            return;
        }
        String path = url.substring(H2_FILE.length());
        int semi = path.indexOf(';');
        if (semi >= 0) {
            path = path.substring(0, semi);
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new io.earthling.store.StoreUnavailableException(
                    "cannot create the folder for the database at " + redact(url) + ": " + e.getMessage(), e);
        }
    }
}

package io.earthling.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** JDBC URL chores. */
final class Urls {
    private static final String H2_FILE = "jdbc:h2:file:";

    private Urls() {
    }

    /** The database file's path (without H2's suffix) of a {@code jdbc:h2:file:} URL, else null. */
    static Path h2File(String url) {
        if (!url.startsWith(H2_FILE)) {
            return null;
        }
        String path = url.substring(H2_FILE.length());
        int semi = path.indexOf(';');
        if (semi >= 0) {
            path = path.substring(0, semi);
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Path.of(path).toAbsolutePath();
    }

    /**
     * Makes the H2 database's files ({@code NAME.mv.db}, {@code NAME.trace.db}, ...) readable and writable by
     * their owner only (0600): they hold every payload and result (issue 16, item 8). Best effort: a file system
     * without POSIX permissions is left as it is.
     */
    static void restrictH2Files(String url) {
        Path file = h2File(url);
        if (file == null || file.getParent() == null) {
            return;
        }
        String prefix = file.getFileName() + ".";
        try (java.util.stream.Stream<Path> all = Files.list(file.getParent())) {
            for (Path p : all.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                setPermissions(p, "rw-------");
            }
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Urls.class).warn("Could not make the database files at {} private: {}",
                    file.getParent(), e.toString());
        }
    }

    private static void setPermissions(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /** Hides a password given in the URL so the URL can go into messages and logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * H2 creates the database file but not always its folders; make them so a fresh data dir just works. A folder
     * made here is the owner's only (0700): the files H2 then creates in it are not readable by others even
     * before {@link #restrictH2Files} runs.
     */
    static void createH2Folders(String url) {
        Path file = h2File(url);
        Path parent = file == null ? null : file.getParent();
        if (parent == null) {
            return;
        }
        try {
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                setPermissions(parent, "rwx------");
            }
        } catch (IOException e) {
            throw new io.earthling.store.StoreUnavailableException(
                    "cannot create the folder for the database at " + redact(url) + ": " + e.getMessage(), e);
        }
    }
}

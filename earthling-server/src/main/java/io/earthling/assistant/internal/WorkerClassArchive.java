package io.earthling.assistant.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive of what a worker process loads, made once per jar, JVM and options by a short
 * training run, so that a restarted worker starts in about half the time and CPU. Without it workers start
 * normally; a worker that dies young while using it turns it off for this assistant.
 */
final class WorkerClassArchive {
    private static final Logger log = LoggerFactory.getLogger(WorkerClassArchive.class);
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private final Path file;
    private volatile boolean disabled;

    WorkerClassArchive(List<String> jvmOptions) {
        // In the user's own cache, never a shared temp directory: whoever can write the archive runs code in workers.
        this.file = Path.of(System.getProperty("user.home"), ".cache", "earthling", "worker-" + key(jvmOptions) + ".jsa");
    }

    /** JVM options for the next worker process: the archive once it exists. */
    List<String> options() {
        if (disabled || !Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> o = new ArrayList<>(QUIET);
        o.add("-XX:SharedArchiveFile=" + file);
        return o;
    }

    boolean inUse(List<String> command) {
        return command.contains("-XX:SharedArchiveFile=" + file);
    }

    void disable(String why) {
        if (!disabled) {
            disabled = true;
            log.warn("Worker class archive {} turned off for this assistant ({}); workers start without it", file, why);
        }
    }

    /** Makes the archive in the background unless it exists; {@code trainCommand} is a worker command line. */
    void prepare(List<String> trainCommand) {
        if (Files.isRegularFile(file)) {
            return;
        }
        Thread t = new Thread(() -> train(trainCommand), "earthling-cds-train");
        t.setDaemon(true);
        t.start();
    }

    private void train(List<String> trainCommand) {
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        boolean claimed = false;
        try {
            Files.createDirectories(file.getParent());
            claimed = claim(lock);
            if (!claimed) {
                return; // another assistant on this host is making it
            }
            List<String> cmd = new ArrayList<>(trainCommand);
            cmd.add(1, "-XX:ArchiveClassesAtExit=" + tmp);
            cmd.add(1, "-Xlog:cds=off");
            cmd.add(1, "-Xlog:cds+dynamic=off");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                p.destroyForcibly();
                log.info("No worker class archive (training run failed); workers start without it");
                return;
            }
            // Only a complete archive may ever sit under the final name: a torn one crashes the JVM that maps it.
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.info("Worker class archive ready: {}", file);
        } catch (IOException e) {
            log.info("No worker class archive ({}); workers start without it", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(tmp);
                if (claimed) {
                    Files.deleteIfExists(lock);
                }
            } catch (IOException ignored) {
                // a stray temp file is harmless
            }
        }
    }

    private static boolean claim(Path lock) throws IOException {
        try {
            Files.createFile(lock);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // A lock left by a trainer that died long ago does not block forever.
            if (System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() < 120_000) {
                return false;
            }
            Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            return true;
        }
    }

    private static String key(List<String> jvmOptions) {
        StringBuilder k = new StringBuilder(System.getProperty("java.home")).append(Runtime.version()).append(jvmOptions);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(entry).getAbsoluteFile();
            k.append(f).append(f.length()).append(f.lastModified());
        }
        return Integer.toHexString(k.toString().hashCode()) + Long.toHexString(k.length());
    }
}
